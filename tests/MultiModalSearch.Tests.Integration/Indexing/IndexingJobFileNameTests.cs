using Dapper;
using MultiModalSearch.FileSystem;
using MultiModalSearch.Imaging;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Storage;

namespace MultiModalSearch.Tests.Indexing;

/// <summary>
/// Names that are not UTF-8 (old cameras, Windows shares, zip files) are indexed like any other: the database keeps the
/// exact bytes with a readable form, and the file opens again from what was stored. Things that are not files are said.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class IndexingJobFileNameTests(PostgresFixture fixture) : IDisposable
{
    private static readonly byte[] Latin1Name = [0x63, 0x61, 0x66, 0xE9, 0x2E, 0x70, 0x6E, 0x67]; // "café.png" in Latin-1
    private static readonly byte[] BrokenName = [0x62, 0x61, 0x64, 0x5F, 0xFF, 0xFE, 0x2E, 0x70, 0x6E, 0x67]; // bad_<FF><FE>.png
    private readonly IndexingJobHarness harness = new();
    private readonly TemporaryDirectory archive = new();

    [Fact]
    public async Task NamesThatAreNotUtf8AreIndexedStoredLosslesslyAndOpenFromTheStoredBytes()
    {
        await using var storage = await fixture.ClientForAsync(nameof(IndexingJobFileNameTests));
        var collection = IndexingJobHarness.UniqueCollection("names");
        var contents = new[] { IndexingJobTestImages.Png(1), IndexingJobTestImages.Png(2), IndexingJobTestImages.Png(3) };
        RawNames.WriteFile(archive.Path, Latin1Name, contents[0]);
        RawNames.WriteFile(archive.Path, BrokenName, contents[1]);
        File.WriteAllBytes(Path.Combine(archive.Path, "plain.png"), contents[2]);

        var summary = await harness.RunAsync(storage, collection, [archive.Path]);

        Assert.Equal((3L, 3L, 0L), (summary.Crawled, summary.Embedded, summary.Failed));
        var rows = await StoredPathsAsync(storage, collection);
        var prefix = System.Text.Encoding.UTF8.GetBytes(archive.Path + "/");
        Assert.Equal(
            new[] { [.. prefix, .. BrokenName], [.. prefix, .. Latin1Name], System.Text.Encoding.UTF8.GetBytes(Path.Combine(archive.Path, "plain.png")) }
                .Select(Convert.ToHexString).Order(),
            rows.Select(r => Convert.ToHexString(r.PathBytes)).Order());
        Assert.Contains(rows, r => r.Path == Path.Combine(archive.Path, @"bad_\xff\xfe.png"));
        Assert.Contains(rows, r => r.Path == Path.Combine(archive.Path, @"caf\xe9.png"));
        foreach (var row in rows)
        {
            using var reopened = FileContent.Read(FileNames.Decode(row.PathBytes), 1 << 20);
            Assert.Contains(contents, c => c.AsSpan().SequenceEqual(reopened.Span));
        }

        // The name is the identity: pruning after a delete removes exactly that file, nothing else.
        RawNames.Delete(archive.Path, BrokenName);
        var pruned = await harness.RunAsync(storage, collection, [archive.Path], prune: true);
        Assert.Equal((1L, 0L), (pruned.Removed, pruned.Embedded));
        Assert.Equal((2L, 2L), ((await IndexingJobHarness.StatusAsync(storage, collection)).Indexed, (await IndexingJobHarness.StatusAsync(storage, collection)).Embeddings));
    }

    [Fact]
    public async Task AFifoWithAnImageNameIsReportedAndSkippedWithoutBlockingTheRun()
    {
        await using var storage = await fixture.ClientForAsync(nameof(IndexingJobFileNameTests));
        var collection = IndexingJobHarness.UniqueCollection("fifo");
        File.WriteAllBytes(Path.Combine(archive.Path, "real.png"), IndexingJobTestImages.Png(7));
        RawNames.MakeFifo(Path.Combine(archive.Path, "pipe.jpg"));

        var summary = await harness.RunAsync(storage, collection, [archive.Path]);

        Assert.Equal((1L, 1L, 0L), (summary.Crawled, summary.Embedded, summary.Failed));
        var problem = Assert.Single(summary.CrawlProblems);
        Assert.EndsWith("pipe.jpg", problem.Path, StringComparison.Ordinal);
        Assert.Contains("FIFO", problem.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        harness.Dispose();
        archive.Dispose();
    }

    private static async Task<List<StoredPath>> StoredPathsAsync(MultiModalSearch.Storage.Postgres.PostgresDatabase storage, string name)
    {
        var collection = await IndexingJobHarness.CollectionAsync(storage, name);
        await using var connection = await storage.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<StoredPath>(
            "SELECT path AS Path, path_bytes AS PathBytes FROM assets WHERE collection_id = @id AND status = 'indexed'", new { id = collection.Id })).ToList();
    }

    private sealed record StoredPath(string Path, byte[] PathBytes);
}
