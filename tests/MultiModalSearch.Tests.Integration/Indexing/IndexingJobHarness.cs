using System.Security.Cryptography;
using Dapper;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Core.Indexing;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Storage;
using MultiModalSearch.Tests.Support;

namespace MultiModalSearch.Tests.Indexing;

/// <summary>
/// Runs <see cref="IndexingJob"/> in-process with the clip-tiny model, and reads back what a run left in PostgreSQL
/// (straight from the tables, not only through the status counters the job itself maintains).
/// </summary>
internal sealed class IndexingJobHarness : IDisposable
{
    public const string ModelId = "clip-tiny-test";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    public ClipSession Session { get; } = ClipSession.Open(ClipTinyFixture.Directory, ComputeOptions.Cpu);

    public static string UniqueCollection(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}";

    public Task<IndexingSummary> RunAsync(PostgresDatabase storage, string collection, IReadOnlyList<string> roots, bool prune = false) =>
        new IndexingJob(storage.IndexingStores(), Session, new IndexingOptions
        {
            Roots = roots,
            Collection = collection,
            ModelId = ModelId,
            Prune = prune,
            Pipeline = new PipelineOptions { BatchSize = 8, Workers = 2 },
        }).RunAsync().WaitAsync(RunTimeout);

    public static async Task<Collection> CollectionAsync(PostgresDatabase storage, string name) =>
        await storage.Collections.FindAsync(name) ?? throw new InvalidOperationException($"no collection '{name}'");

    public static async Task<CollectionStatus> StatusAsync(PostgresDatabase storage, string name) =>
        await storage.Collections.GetStatusAsync(await CollectionAsync(storage, name));

    public static async Task<IReadOnlyList<AssetRow>> AssetsAsync(PostgresDatabase storage, string name)
    {
        var collection = await CollectionAsync(storage, name);
        await using var connection = await storage.DataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<AssetRow>(
            "SELECT path AS Path, content_hash AS ContentHash, status AS Status, error AS Error, claimed_by AS ClaimedBy FROM assets WHERE collection_id = @id ORDER BY path",
            new { id = collection.Id });
        return rows.ToList();
    }

    public static async Task<IReadOnlyList<string>> EmbeddedContentsAsync(PostgresDatabase storage, string name)
    {
        var collection = await CollectionAsync(storage, name);
        await using var connection = await storage.DataSource.OpenConnectionAsync();
        var hashes = await connection.QueryAsync<byte[]>("SELECT content_hash FROM embeddings WHERE collection_id = @id", new { id = collection.Id });
        return hashes.Select(Convert.ToHexString).ToList();
    }

    public static string Sha256Hex(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>
    /// Every file is one indexed asset whose stored hash is the file's current content, nothing else is live, nothing is
    /// pending or claimed, and the embeddings are exactly the distinct contents: one row each.
    /// </summary>
    public static async Task AssertIndexedExactlyOnceAsync(PostgresDatabase storage, string name, IReadOnlyCollection<string> files)
    {
        var assets = await AssetsAsync(storage, name);
        Assert.Equal(assets.Count, assets.Select(a => a.Path).Distinct(StringComparer.Ordinal).Count());
        var live = assets.Where(a => a.Status != "removed").ToList();
        Assert.Equal(files.Order(StringComparer.Ordinal), live.Select(a => a.Path).Order(StringComparer.Ordinal));
        var notIndexed = live.Where(a => a.Status != "indexed").Select(a => $"{a.Path}: {a.Status} {a.Error}").ToList();
        Assert.True(notIndexed.Count == 0, "not indexed:\n" + string.Join("\n", notIndexed));
        Assert.All(assets, a => Assert.Null(a.ClaimedBy));

        var expected = files.ToDictionary(f => f, Sha256Hex, StringComparer.Ordinal);
        foreach (var asset in live)
        {
            Assert.True(expected[asset.Path] == Convert.ToHexString(asset.ContentHash!), $"{asset.Path}: stored hash is not the file's content");
        }

        var embedded = await EmbeddedContentsAsync(storage, name);
        Assert.Equal(embedded.Count, embedded.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(expected.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), embedded.Order(StringComparer.Ordinal));

        var status = await StatusAsync(storage, name);
        Assert.Equal((files.Count, 0L, 0L, 0L, expected.Values.Distinct(StringComparer.Ordinal).LongCount()),
            (status.Indexed, status.Pending, status.InProgress, status.Failed, status.Embeddings));
    }

    public void Dispose() => Session.Dispose();
}
