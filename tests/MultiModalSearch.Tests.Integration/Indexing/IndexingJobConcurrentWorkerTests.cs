using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Storage;
using MultiModalSearch.Tests.Support;
using Xunit.Abstractions;

namespace MultiModalSearch.Tests.Indexing;

/// <summary>Several <c>mms index</c> processes on one collection at once: they share the work and never duplicate it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class IndexingJobConcurrentWorkerTests(PostgresFixture fixture, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);
    private readonly TemporaryDirectory archive = new();

    [Fact]
    public async Task TwoWorkersOnTheSameArchiveStartingOnAFreshDatabaseIndexEverythingOnceAndNeverTheSameFileTwice()
    {
        // A fresh database: both processes also migrate the schema and create the collection at the same moment.
        var connectionString = await fixture.CreateDatabaseAsync();
        const string collection = "shared";
        var files = IndexingJobTestImages.WriteArchive(archive.Path, 160);
        var arguments = IndexingJobChild.IndexArguments(connectionString, collection, [archive.Path]);

        await using var first = IndexingJobChild.Start(arguments);
        await using var second = IndexingJobChild.Start(arguments);
        await Task.WhenAll(first.WaitForExitAsync(RunTimeout), second.WaitForExitAsync(RunTimeout));

        var summaries = new[] { first.SucceededSummary(), second.SucceededSummary() };
        output.WriteLine(string.Join("\n", summaries));
        await using var storage = await PostgresDatabase.ConnectAsync(connectionString);
        await IndexingJobHarness.AssertIndexedExactlyOnceAsync(storage, collection, files);
        // Every file is distinct, so the claims alone decide who embeds what: disjoint shares that add up to the archive.
        Assert.Equal(files.Count, summaries.Sum(s => s.GetProperty("embedded").GetInt64()));
        Assert.Equal(0, summaries.Sum(s => s.GetProperty("reused").GetInt64() + s.GetProperty("failed").GetInt64()));
        Assert.Equal(files.Count, summaries.Sum(s => s.GetProperty("added").GetInt64()));
    }

    [Fact]
    public async Task TwoShardsIndexDisjointPartsWhoseUnionIsTheArchive()
    {
        var connectionString = await fixture.SharedDatabaseAsync(nameof(IndexingJobConcurrentWorkerTests));
        var collection = IndexingJobHarness.UniqueCollection("shards");
        var files = IndexingJobTestImages.WriteArchive(archive.Path, 120);

        await using var shard0 = IndexingJobChild.Start(IndexingJobChild.IndexArguments(connectionString, collection, [archive.Path], "--shard", "0/2"));
        await using var shard1 = IndexingJobChild.Start(IndexingJobChild.IndexArguments(connectionString, collection, [archive.Path], "--shard", "1/2"));
        await Task.WhenAll(shard0.WaitForExitAsync(RunTimeout), shard1.WaitForExitAsync(RunTimeout));

        var summaries = new[] { shard0.SucceededSummary(), shard1.SucceededSummary() };
        output.WriteLine(string.Join("\n", summaries));
        await using var storage = await PostgresDatabase.ConnectAsync(connectionString);
        await IndexingJobHarness.AssertIndexedExactlyOnceAsync(storage, collection, files);
        var crawled = summaries.Select(s => s.GetProperty("crawled").GetInt64()).ToList();
        Assert.All(crawled, c => Assert.InRange(c, 1, files.Count - 1));
        Assert.Equal(files.Count, crawled.Sum());
        Assert.Equal(files.Count, summaries.Sum(s => s.GetProperty("embedded").GetInt64()));
    }

    public void Dispose() => archive.Dispose();
}
