using Dapper;
using MultiModalSearch.Abstractions.Assets;
using MultiModalSearch.Storage.Postgres;
using Pgvector;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Storage;

[Collection(PostgresCollection.Name)]
public sealed class StorageClientSearchTests(PostgresFixture fixture)
{
    private const int Dim = 64;

    [Theory]
    [InlineData(EmbeddingPrecision.Half)]
    [InlineData(EmbeddingPrecision.Full)]
    public async Task CopiedEmbeddingsAreFoundByTheirNearestNeighbour(EmbeddingPrecision precision)
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientSearchTests));
        var collection = await client.OpenCollectionAsync(StorageTestData.UniqueName("nn"), "m", Dim, precision);
        var vectors = StorageTestData.UnitVectors(300, Dim, seed: 1);
        await StorageTestData.IndexAsync(client, collection, vectors.Select((v, i) => ($"/p/{i}.jpg", $"c{i}", v)).ToList());

        var hits = await client.SearchAsync(collection, StorageTestData.Perturb(vectors[17], 0.05, seed: 2), k: 5);

        Assert.Equal(5, hits.Count);
        Assert.Equal(["/p/17.jpg"], hits[0].Paths);
        Assert.True(hits[0].Score > 0.9, $"score {hits[0].Score}");
        Assert.Equal(hits.OrderByDescending(h => h.Score).Select(h => h.Score), hits.Select(h => h.Score));
    }

    [Fact]
    public async Task IdenticalContentIsEmbeddedOnceAndFoundOnceWithAllItsPaths()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientSearchTests));
        var collection = await client.OpenCollectionAsync(StorageTestData.UniqueName("dup"), "m", Dim);
        var vectors = StorageTestData.UnitVectors(3, Dim, seed: 3);
        await StorageTestData.IndexAsync(client, collection,
            [("/a/cat.jpg", "cat", vectors[0]), ("/b/cat copy.jpg", "cat", vectors[0]), ("/dog.jpg", "dog", vectors[1])]);
        Assert.Equal(0, await client.CopyEmbeddingsAsync(collection, [new EmbeddingRow(StorageTestData.Hash("cat"), vectors[0])]));

        var hits = await client.SearchAsync(collection, vectors[0], k: 10);
        var status = await client.GetStatusAsync(collection);

        Assert.Equal(2, hits.Count);
        Assert.Equal(["/a/cat.jpg", "/b/cat copy.jpg"], hits[0].Paths);
        Assert.Equal(3, status.Indexed);
        Assert.Equal(2, status.Embeddings);
        Assert.Single(await client.FindEmbeddedAsync(collection, [StorageTestData.Hash("cat"), StorageTestData.Hash("bird")]));
    }

    [Fact]
    public async Task RecordingAResultWithoutItsEmbeddingWritesNothing()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientSearchTests));
        var collection = await client.OpenCollectionAsync(StorageTestData.UniqueName("noemb"), "m", Dim);
        await client.UpsertCrawlAsync(collection, [StorageTestData.Entry("/x.jpg")]);
        var work = await client.ClaimAsync(collection, "w", 10);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            client.RecordResultsAsync(collection, [new AssetResult(work[0].AssetId, StorageTestData.Hash("x"))], []));
        Assert.Equal(1, (await client.GetStatusAsync(collection)).Pending);
    }

    [Theory]
    [InlineData(EmbeddingPrecision.Half)]
    [InlineData(EmbeddingPrecision.Full)]
    public async Task TheSearchQueryUsesTheCollectionsHnswIndex(EmbeddingPrecision precision)
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientSearchTests));
        var collection = await client.OpenCollectionAsync(StorageTestData.UniqueName("plan"), "m", Dim, precision);
        var vectors = StorageTestData.UnitVectors(2000, Dim, seed: 4);
        await client.CopyEmbeddingsAsync(collection, vectors.Select((v, i) => new EmbeddingRow(StorageTestData.Hash($"e{i}"), v)).ToList());
        object query = precision == EmbeddingPrecision.Half
            ? new HalfVector(vectors[0].Select(x => (Half)x).ToArray())
            : new Vector(vectors[0]);

        await using var connection = await client.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("ANALYZE embeddings", transaction: transaction);
        // Tiny tables can make a sequential scan look cheaper; the point here is that the index is usable.
        await connection.ExecuteAsync("SET LOCAL enable_seqscan = off", transaction: transaction);
        var plan = string.Join('\n', await connection.QueryAsync<string>(
            "EXPLAIN " + StorageSql.Search(collection), new { query, k = 10 }, transaction));

        Assert.Contains($"Index Scan using {StorageSql.IndexName(collection)}", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Sort Key: ((", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaptionsAreFoundByKeyword()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientSearchTests));
        var collection = await client.OpenCollectionAsync(StorageTestData.UniqueName("text"), "m", Dim);
        var indexed = await StorageTestData.IndexAsync(client, collection, [("/beach.jpg", "beach", StorageTestData.UnitVectors(1, Dim, 5)[0])]);
        await client.SetTextAsync(indexed[0].AssetId, TextItemKind.Caption, "Two dogs running on a sandy beach");

        var hits = await client.SearchTextAsync(collection, "dogs beach");

        Assert.Equal("/beach.jpg", Assert.Single(hits).Path);
        Assert.Empty(await client.SearchTextAsync(collection, "cat"));
    }

    [Fact]
    public async Task ACaptionWithNulBytesOrBrokenSurrogatesIsStoredReadably()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientSearchTests));
        var collection = await client.OpenCollectionAsync(StorageTestData.UniqueName("hostile-text"), "m", Dim);
        var indexed = await StorageTestData.IndexAsync(client, collection, [("/dogs.jpg", "dogs", StorageTestData.UnitVectors(1, Dim, 6)[0])]);

        await client.SetTextsAsync([(indexed[0].AssetId, TextItemKind.Caption, "dogs \0 on a beach \uD800")]);

        Assert.Equal("dogs \uFFFD on a beach \uFFFD", Assert.Single(await client.SearchTextAsync(collection, "dogs beach")).Text);
    }

    [Fact]
    public async Task ThumbnailsAreKeptPerContent()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientSearchTests));
        var hash = StorageTestData.Hash(Guid.NewGuid().ToString());
        await client.PutThumbnailAsync(hash, [1, 2, 3]);
        await client.PutThumbnailAsync(hash, [9]);
        Assert.Equal([1, 2, 3], await client.GetThumbnailAsync(hash));
        Assert.Null(await client.GetThumbnailAsync(StorageTestData.Hash("none")));
    }
}
