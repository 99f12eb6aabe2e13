using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Storage;

[Collection(PostgresCollection.Name)]
public sealed class StorageClientCollectionTests(PostgresFixture fixture)
{
    [Fact]
    public async Task ReopeningWithTheSameModelReturnsTheSameCollection()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientCollectionTests));
        var name = StorageTestData.UniqueName("photos");
        var created = await client.Collections.OpenAsync(name, "clip-vit-b-32", 512);
        var reopened = await client.Collections.OpenAsync(name, "clip-vit-b-32", 512);
        Assert.Equal(created, reopened);
        Assert.Equal(EmbeddingPrecision.Half, created.Precision);
    }

    [Fact]
    public async Task OpeningWithAnotherModelOrDimensionNamesBoth()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientCollectionTests));
        var name = StorageTestData.UniqueName("photos");
        await client.Collections.OpenAsync(name, "clip-vit-b-32", 512);

        var model = await Assert.ThrowsAsync<CollectionMismatchException>(() => client.Collections.OpenAsync(name, "siglip-base", 512));
        Assert.Contains("clip-vit-b-32", model.Message, StringComparison.Ordinal);
        Assert.Contains("siglip-base", model.Message, StringComparison.Ordinal);
        var dim = await Assert.ThrowsAsync<CollectionMismatchException>(() => client.Collections.OpenAsync(name, "clip-vit-b-32", 768));
        Assert.Contains("512", dim.Message, StringComparison.Ordinal);
        Assert.Contains("768", dim.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CollectionMismatchException>(() => client.Collections.OpenAsync(name, "clip-vit-b-32", 512, EmbeddingPrecision.Full));
    }

    [Fact]
    public async Task ConcurrentCreatorsGetOneCollection()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientCollectionTests));
        var name = StorageTestData.UniqueName("race");
        var opened = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => client.Collections.OpenAsync(name, "m", 8))));
        Assert.Single(opened.Select(c => c.Id).Distinct());
    }

    [Fact]
    public async Task EmbeddingsOfTheWrongDimensionAreRejected()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientCollectionTests));
        var collection = await client.Collections.OpenAsync(StorageTestData.UniqueName("dims"), "m", 8);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            client.Vectors.CopyEmbeddingsAsync(collection, [new EmbeddingRow(StorageTestData.Hash("x"), new float[9])]));
    }
}
