using Dapper;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Storage;

[Collection(PostgresCollection.Name)]
public sealed class StorageClientWorkQueueTests(PostgresFixture fixture)
{
    private const int Dim = 8;

    [Fact]
    public async Task ACrawlReportsNewChangedAndUnchangedFiles()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientWorkQueueTests));
        var collection = await client.Collections.OpenAsync(StorageTestData.UniqueName("crawl"), "m", Dim);
        var vectors = StorageTestData.UnitVectors(2, Dim, seed: 1);
        await StorageTestData.IndexAsync(client, collection, [("/a.jpg", "a", vectors[0]), ("/b.jpg", "b", vectors[1])]);

        var result = await client.WorkQueue.UpsertCrawlAsync(collection,
            [StorageTestData.Entry("/a.jpg"), StorageTestData.Entry("/b.jpg", bytes: 999), StorageTestData.Entry("/c.jpg")]);

        Assert.Equal((1, 1, 1), (result.Added, result.Changed, result.Unchanged));
        Assert.Equal(["/b.jpg", "/c.jpg"], result.NeedsWork.Select(w => w.Path).Order());
        var again = await client.WorkQueue.UpsertCrawlAsync(collection, [StorageTestData.Entry("/b.jpg", bytes: 999), StorageTestData.Entry("/c.jpg")]);
        Assert.Equal(2, again.Unchanged);
        Assert.Equal(2, again.NeedsWork.Count);
    }

    [Fact]
    public async Task ConcurrentWorkersClaimDisjointSetsThatCoverEverything()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientWorkQueueTests));
        var collection = await client.Collections.OpenAsync(StorageTestData.UniqueName("claims"), "m", Dim);
        var crawl = await client.WorkQueue.UpsertCrawlAsync(collection, Enumerable.Range(0, 300).Select(i => StorageTestData.Entry($"/f/{i}.jpg")));

        var perWorker = await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(() => DrainAsync(client, collection, $"worker-{w}"))));

        var all = perWorker.SelectMany(ids => ids).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(crawl.NeedsWork.Select(w => w.AssetId).Order(), all.Order());
    }

    [Fact]
    public async Task ExpiredClaimsAreTakenOver()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientWorkQueueTests));
        var collection = await client.Collections.OpenAsync(StorageTestData.UniqueName("lease"), "m", Dim);
        await client.WorkQueue.UpsertCrawlAsync(collection, Enumerable.Range(0, 5).Select(i => StorageTestData.Entry($"/{i}.jpg")));
        Assert.Equal(5, (await client.WorkQueue.ClaimAsync(collection, "crashed", 10)).Count);
        Assert.Empty(await client.WorkQueue.ClaimAsync(collection, "second", 10));
        Assert.Equal(5, (await client.Collections.GetStatusAsync(collection)).InProgress);

        await using (var connection = await client.DataSource.OpenConnectionAsync())
            await connection.ExecuteAsync("UPDATE assets SET claimed_at = now() - interval '11 minutes' WHERE collection_id = @id", new { id = collection.Id });

        Assert.Equal(5, (await client.WorkQueue.ClaimAsync(collection, "second", 10, TimeSpan.FromMinutes(10))).Count);
    }

    [Fact]
    public async Task PruneRemovesUnseenPathsFromSearchAndStatus()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientWorkQueueTests));
        var collection = await client.Collections.OpenAsync(StorageTestData.UniqueName("prune"), "m", Dim);
        var v = StorageTestData.UnitVectors(3, Dim, seed: 2);
        await StorageTestData.IndexAsync(client, collection, [("/keep.jpg", "k", v[0]), ("/gone.jpg", "g", v[1]), ("/gone-too.jpg", "g2", v[2])]);

        Assert.Equal(2, await client.WorkQueue.PruneAsync(collection, null, ["/keep.jpg"]));
        Assert.Equal(0, await client.WorkQueue.MarkRemovedAsync(collection, ["/gone.jpg"]));

        // The pruned contents' embeddings went in the same transaction: nothing is left to crowd the index.
        var hits = await client.Vectors.SearchAsync(collection, v[1], k: 3);
        Assert.Equal(["/keep.jpg"], hits.SelectMany(h => h.Paths));
        var status = await client.Collections.GetStatusAsync(collection);
        Assert.Equal((1L, 2L, 1L), (status.Indexed, status.Removed, status.Embeddings));

        var back = await client.WorkQueue.UpsertCrawlAsync(collection, [StorageTestData.Entry("/gone.jpg")]);
        Assert.Equal("/gone.jpg", Assert.Single(back.NeedsWork).Path);
    }

    [Fact]
    public async Task StatusCountsEachStateAndListsRecentFailures()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientWorkQueueTests));
        var collection = await client.Collections.OpenAsync(StorageTestData.UniqueName("status"), "m", Dim);
        var v = StorageTestData.UnitVectors(2, Dim, seed: 3);
        await StorageTestData.IndexAsync(client, collection, [("/1.jpg", "same", v[0]), ("/2.jpg", "same", v[0])]);
        await client.WorkQueue.UpsertCrawlAsync(collection, ((string[])["/3.jpg", "/4.jpg", "/5.jpg", "/6.jpg"]).Select(p => StorageTestData.Entry(p)));
        var claimed = await client.WorkQueue.ClaimAsync(collection, "w", 2);
        await client.WorkQueue.MarkFailedAsync(collection, [(claimed[0].AssetId, "not an image: truncated JPEG")]);
        await client.WorkQueue.MarkRemovedAsync(collection, ["/6.jpg"]);

        var status = await client.Collections.GetStatusAsync(collection);
        var failures = await client.Collections.GetRecentFailuresAsync(collection);

        Assert.Equal(new CollectionStatus(Pending: 2, InProgress: 1, Indexed: 2, Failed: 1, Removed: 1, Embeddings: 1), status);
        var failure = Assert.Single(failures);
        Assert.Equal(claimed[0].Path, failure.Path);
        Assert.Contains("truncated", failure.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailureMessageWithNulBytesOrBrokenSurrogatesIsStoredReadably()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientWorkQueueTests));
        var collection = await client.Collections.OpenAsync(StorageTestData.UniqueName("hostile-error"), "m", Dim);
        await client.WorkQueue.UpsertCrawlAsync(collection, [StorageTestData.Entry("/x.gif")]);
        var claimed = Assert.Single(await client.WorkQueue.ClaimAsync(collection, "w", 1));

        await client.WorkQueue.MarkFailedAsync(collection, [(claimed.AssetId, "bad GIF: \0\0 version 8\uD800 \U0001F600 end")]);

        var failure = Assert.Single(await client.Collections.GetRecentFailuresAsync(collection));
        Assert.Equal("bad GIF: \uFFFD\uFFFD version 8\uFFFD \U0001F600 end", failure.Error);
        Assert.Equal(1, (await client.Collections.GetStatusAsync(collection)).Failed);
    }

    [Fact]
    public async Task FailuresMarkedTogetherKeepEachTheirOwnErrorAndSpareRemovedPaths()
    {
        await using var client = await fixture.ClientForAsync(nameof(StorageClientWorkQueueTests));
        var collection = await client.Collections.OpenAsync(StorageTestData.UniqueName("failed-batch"), "m", Dim);
        await client.WorkQueue.UpsertCrawlAsync(collection, ((string[])["/a.jpg", "/b.jpg", "/c.jpg"]).Select(p => StorageTestData.Entry(p)));
        var claimed = (await client.WorkQueue.ClaimAsync(collection, "w", 3)).ToDictionary(w => w.Path, w => w.AssetId);
        await client.WorkQueue.MarkRemovedAsync(collection, ["/c.jpg"]);

        await client.WorkQueue.MarkFailedAsync(collection, [(claimed["/a.jpg"], "a: truncated"), (claimed["/b.jpg"], "b: not an image"), (claimed["/c.jpg"], "c: gone")]);

        var failures = (await client.Collections.GetRecentFailuresAsync(collection)).ToDictionary(f => f.Path, f => f.Error);
        Assert.Equal(new Dictionary<string, string> { ["/a.jpg"] = "a: truncated", ["/b.jpg"] = "b: not an image" }, failures);
        Assert.Equal(new CollectionStatus(Pending: 0, InProgress: 0, Indexed: 0, Failed: 2, Removed: 1, Embeddings: 0), await client.Collections.GetStatusAsync(collection));
    }

    private static async Task<List<long>> DrainAsync(PostgresDatabase client, Collection collection, string worker)
    {
        var mine = new List<long>();
        while (true)
        {
            var batch = await client.WorkQueue.ClaimAsync(collection, worker, 7);
            if (batch.Count == 0) return mine;
            mine.AddRange(batch.Select(w => w.AssetId));
            // Finish the work the way a real worker does, so the asset leaves the queue.
            foreach (var item in batch) await client.WorkQueue.MarkFailedAsync(collection, [(item.AssetId, "test")]);
        }
    }
}
