using Dapper;
using MultiModalSearch.Abstractions.Assets;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Testing;
using Pgvector;

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
        var collection = await client.Collections.OpenAsync(StorageTestData.UniqueName("nn"), "m", Dim, precision);
        var vectors = StorageTestData.UnitVectors(300, Dim, seed: 1);
        await StorageTestData.IndexAsync(client, collection, vectors.Select((v, i) => ($"/p/{i}.jpg", $"c{i}", v)).ToList());

        var hits = await client.Vectors.SearchAsync(collection, StorageTestData.Perturb(vectors[17], 0.05, seed: 2), k: 5);

        Assert.Equal(5, hits.Count);
        Assert.Equal(["/p/17.jpg"], hits[0].Paths);
        Assert.True(hits[0].Score > 0.9, $"score {hits[0].Score}");
        Assert.Equal(hits.OrderByDescending(h => h.Score).Select(h => h.Score), hits.Select(h => h.Score));
    }

    [Fact]
    public async Task IdenticalContentIsEmbeddedOnceAndFoundOnceWithAllItsPaths()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientSearchTests));
        var collection = await client.Collections.OpenAsync(StorageTestData.UniqueName("dup"), "m", Dim);
        var vectors = StorageTestData.UnitVectors(3, Dim, seed: 3);
        await StorageTestData.IndexAsync(client, collection,
            [("/a/cat.jpg", "cat", vectors[0]), ("/b/cat copy.jpg", "cat", vectors[0]), ("/dog.jpg", "dog", vectors[1])]);
        Assert.Equal(0, await client.Vectors.CopyEmbeddingsAsync(collection, [new EmbeddingRow(StorageTestData.Hash("cat"), vectors[0])]));

        var hits = await client.Vectors.SearchAsync(collection, vectors[0], k: 10);
        var status = await client.Collections.GetStatusAsync(collection);

        Assert.Equal(2, hits.Count);
        Assert.Equal(["/a/cat.jpg", "/b/cat copy.jpg"], hits[0].Paths);
        Assert.Equal(3, status.Indexed);
        Assert.Equal(2, status.Embeddings);
        Assert.Single(await client.Vectors.FindEmbeddedAsync(collection, [StorageTestData.Hash("cat"), StorageTestData.Hash("bird")]));
    }

    [Fact]
    public async Task AResultWhoseContentHasNoEmbeddingGoesBackToTheQueueUnclaimed()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientSearchTests));
        var collection = await client.Collections.OpenAsync(StorageTestData.UniqueName("noemb"), "m", Dim);
        await client.WorkQueue.UpsertCrawlAsync(collection, [StorageTestData.Entry("/x.jpg")]);
        var work = await client.WorkQueue.ClaimAsync(collection, "w", 10);

        var requeued = await client.WorkQueue.RecordResultsAsync(collection, [new AssetResult(work[0].AssetId, StorageTestData.Hash("x"))], []);

        Assert.Equal([work[0].AssetId], requeued);
        var status = await client.Collections.GetStatusAsync(collection);
        Assert.Equal((1L, 0L, 0L), (status.Pending, status.InProgress, status.Indexed));
        Assert.Equal("/x.jpg", Assert.Single(await client.WorkQueue.ClaimAsync(collection, "another", 10)).Path);
    }

    [Fact]
    public async Task AFlushThatReusesAContentAPruneJustOrphanedRequeuesItsAssetInsteadOfIndexingItWithoutAnEmbedding()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientSearchTests));
        var collection = await client.Collections.OpenAsync(StorageTestData.UniqueName("race"), "m", Dim);
        var v = StorageTestData.UnitVectors(1, Dim, seed: 9)[0];
        await StorageTestData.IndexAsync(client, collection, [("/old/a.jpg", "same", v)]);
        // The file moved: a worker claims the new path and finds its content already embedded, so it will not embed it...
        await client.WorkQueue.UpsertCrawlAsync(collection, [StorageTestData.Entry("/new/a.jpg")]);
        var moved = Assert.Single(await client.WorkQueue.ClaimAsync(collection, "w", 10));
        Assert.Single(await client.Vectors.FindEmbeddedAsync(collection, [StorageTestData.Hash("same")]));
        // ...but before its flush, the crawl's prune removes the old path, the content's last live reference.
        await client.WorkQueue.PruneAsync(collection, null, ["/new/a.jpg"]);

        var requeued = await client.WorkQueue.RecordResultsAsync(collection, [new AssetResult(moved.AssetId, StorageTestData.Hash("same"))], []);

        Assert.Equal([moved.AssetId], requeued);
        var status = await client.Collections.GetStatusAsync(collection);
        Assert.Equal((0L, 1L, 0L), (status.Indexed, status.Pending, status.Embeddings));
    }

    [Theory]
    [InlineData(EmbeddingPrecision.Half)]
    [InlineData(EmbeddingPrecision.Full)]
    public async Task TheSearchQueryUsesTheCollectionsHnswIndex(EmbeddingPrecision precision)
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientSearchTests));
        var collection = await client.Collections.OpenAsync(StorageTestData.UniqueName("plan"), "m", Dim, precision);
        var vectors = StorageTestData.UnitVectors(2000, Dim, seed: 4);
        await client.Vectors.CopyEmbeddingsAsync(collection, vectors.Select((v, i) => new EmbeddingRow(StorageTestData.Hash($"e{i}"), v)).ToList());
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
        var collection = await client.Collections.OpenAsync(StorageTestData.UniqueName("text"), "m", Dim);
        var indexed = await StorageTestData.IndexAsync(client, collection, [("/beach.jpg", "beach", StorageTestData.UnitVectors(1, Dim, 5)[0])]);
        await client.Texts.SetTextsAsync([(indexed[0].AssetId, TextItemKind.Caption, "Two dogs running on a sandy beach")]);

        var hits = await client.Texts.SearchTextAsync(collection, "dogs beach");

        Assert.Equal("/beach.jpg", Assert.Single(hits).Path);
        Assert.Empty(await client.Texts.SearchTextAsync(collection, "cat"));
    }

    [Fact]
    public async Task ACaptionWithNulBytesOrBrokenSurrogatesIsStoredReadably()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientSearchTests));
        var collection = await client.Collections.OpenAsync(StorageTestData.UniqueName("hostile-text"), "m", Dim);
        var indexed = await StorageTestData.IndexAsync(client, collection, [("/dogs.jpg", "dogs", StorageTestData.UnitVectors(1, Dim, 6)[0])]);

        await client.Texts.SetTextsAsync([(indexed[0].AssetId, TextItemKind.Caption, "dogs \0 on a beach \uD800")]);

        Assert.Equal("dogs \uFFFD on a beach \uFFFD", Assert.Single(await client.Texts.SearchTextAsync(collection, "dogs beach")).Text);
    }

    [Fact]
    public async Task ThumbnailsAreKeptPerContent()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientSearchTests));
        var hash = StorageTestData.Hash(Guid.NewGuid().ToString());
        await client.Thumbnails.PutThumbnailsAsync([(hash, [1, 2, 3])]);
        await client.Thumbnails.PutThumbnailsAsync([(hash, [9])]);
        Assert.Equal([1, 2, 3], await client.Thumbnails.GetThumbnailAsync(hash));
        Assert.Null(await client.Thumbnails.GetThumbnailAsync(StorageTestData.Hash("none")));
    }
}
