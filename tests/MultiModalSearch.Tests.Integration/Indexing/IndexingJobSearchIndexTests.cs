using MultiModalSearch.Core.Indexing;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Storage;
using MultiModalSearch.Tests.Support;

namespace MultiModalSearch.Tests.Indexing;

/// <summary>Bulk loads build the HNSW index once at the end; small additions keep it and update it row by row.</summary>
[Collection(PostgresCollection.Name)]
public sealed class IndexingJobSearchIndexTests(PostgresFixture fixture) : IDisposable
{
    private readonly IndexingJobHarness harness = new();
    private readonly TemporaryDirectory archive = new();

    [Fact]
    public async Task BulkLoadBuildsTheIndexOnceAndSmallAdditionsKeepIt()
    {
        await using var storage = await fixture.ClientForAsync(nameof(IndexingJobSearchIndexTests));
        var name = IndexingJobHarness.UniqueCollection("hnsw");
        var first = IndexingJobTestImages.WriteArchive(Path.Combine(archive.Path, "a"), 120);

        var bulk = await harness.RunAsync(storage, name, [archive.Path]);

        Assert.Equal(SearchIndexState.Built, bulk.SearchIndex.State);
        var collection = await IndexingJobHarness.CollectionAsync(storage, name);
        Assert.True(await storage.Vectors.HasSearchIndexAsync(collection));

        var added = IndexingJobTestImages.WriteArchive(Path.Combine(archive.Path, "b"), 5, firstSeed: 1000);
        var small = await harness.RunAsync(storage, name, [archive.Path]);

        Assert.Equal(5, small.Embedded);
        Assert.Equal(SearchIndexState.Ready, small.SearchIndex.State);
        await IndexingJobHarness.AssertIndexedExactlyOnceAsync(storage, name, [.. first, .. added]);
        // The index answers for rows added after it was built.
        var hits = await storage.Vectors.SearchAsync(collection, harness.Session.EmbedImage(File.ReadAllBytes(added[0]), added[0]), 1);
        Assert.Equal(added[0], hits[0].Paths[0]);
    }

    [Fact]
    public async Task AnAbsentIndexLeftByAnInterruptedBulkLoadIsBuiltByTheNextRun()
    {
        await using var storage = await fixture.ClientForAsync(nameof(IndexingJobSearchIndexTests));
        var name = IndexingJobHarness.UniqueCollection("hnsw-absent");
        IndexingJobTestImages.WriteArchive(archive.Path, 10);
        await harness.RunAsync(storage, name, [archive.Path]);
        var collection = await IndexingJobHarness.CollectionAsync(storage, name);
        await storage.Vectors.DropSearchIndexAsync(collection); // as a bulk load killed before its end leaves it

        var rerun = await harness.RunAsync(storage, name, [archive.Path]);

        Assert.Equal(0, rerun.Embedded);
        Assert.Equal(SearchIndexState.Built, rerun.SearchIndex.State);
        Assert.True(await storage.Vectors.HasSearchIndexAsync(collection));
    }

    public void Dispose()
    {
        harness.Dispose();
        archive.Dispose();
    }
}
