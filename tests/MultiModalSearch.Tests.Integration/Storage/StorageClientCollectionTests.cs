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
    public async Task AModelIsKnownByItsFingerprintNotByItsPath()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientCollectionTests));
        var name = StorageTestData.UniqueName("photos");
        await client.Collections.OpenAsync(name, "/models/clip", 512, modelFingerprint: "aaaa1111");

        // The same weights under another folder or a Hub id are the same model.
        var moved = await client.Collections.OpenAsync(name, "openai/clip-vit-base-patch32", 512, modelFingerprint: "aaaa1111");
        Assert.Equal("/models/clip", moved.ModelId);

        // Other weights under the same path are not.
        var changed = await Assert.ThrowsAsync<CollectionMismatchException>(() => client.Collections.OpenAsync(name, "/models/clip", 512, modelFingerprint: "bbbb2222"));
        Assert.Contains("aaaa1111", changed.Message, StringComparison.Ordinal);
        Assert.Contains("bbbb2222", changed.Message, StringComparison.Ordinal);
        Assert.Contains("new collection", changed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACollectionMadeBeforeFingerprintsAdoptsTheFirstOneItIsOpenedWith()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientCollectionTests));
        var name = StorageTestData.UniqueName("photos");
        var legacy = await client.Collections.OpenAsync(name, "/models/clip", 512);
        Assert.Null(legacy.ModelFingerprint);

        var adopted = await client.Collections.OpenAsync(name, "/models/clip", 512, modelFingerprint: "cccc3333");

        Assert.Equal("cccc3333", adopted.ModelFingerprint);
        Assert.Equal("cccc3333", (await client.Collections.FindAsync(name))!.ModelFingerprint);
        await Assert.ThrowsAsync<CollectionMismatchException>(() => client.Collections.OpenAsync(name, "/models/clip", 512, modelFingerprint: "dddd4444"));
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
