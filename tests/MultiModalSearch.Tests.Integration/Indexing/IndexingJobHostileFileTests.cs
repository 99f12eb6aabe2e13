using System.Text;
using System.Text.Json;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Storage;
using MultiModalSearch.Tests.Support;

namespace MultiModalSearch.Tests.Indexing;

/// <summary>Files that are not what their names say never stop a run: each is recorded as failed with its reason.</summary>
[Collection(PostgresCollection.Name)]
public sealed class IndexingJobHostileFileTests(PostgresFixture fixture) : IDisposable
{
    private readonly IndexingJobHarness harness = new();
    private readonly TemporaryDirectory archive = new();

    [Fact]
    public async Task HostileFilesAreRecordedAsFailedWithTheirReasonWhileEveryValidImageIsIndexed()
    {
        var connectionString = await fixture.SharedDatabaseAsync(nameof(IndexingJobHostileFileTests));
        await using var storage = await fixture.ClientForAsync(nameof(IndexingJobHostileFileTests));
        var collection = IndexingJobHarness.UniqueCollection("hostile");
        var valid = IndexingJobTestImages.WriteArchive(Path.Combine(archive.Path, "good"), 10);
        var hostile = WriteHostileFiles(Path.Combine(archive.Path, "bad"));

        var summary = await harness.RunAsync(storage, collection, [archive.Path]);

        Assert.Equal((16L, 10L, 6L), (summary.Crawled, summary.Embedded, summary.Failed));
        var status = await IndexingJobHarness.StatusAsync(storage, collection);
        Assert.Equal((10L, 6L, 0L, 10L), (status.Indexed, status.Failed, status.Pending, status.Embeddings));
        var assets = await IndexingJobHarness.AssetsAsync(storage, collection);
        Assert.All(assets.Where(a => valid.Contains(a.Path)), a => Assert.Equal("indexed", a.Status));
        Assert.All(assets.Where(a => hostile.Contains(a.Path)), a =>
        {
            Assert.Equal("failed", a.Status);
            Assert.False(string.IsNullOrWhiteSpace(a.Error), $"{a.Path} failed without a reason");
        });

        // What `mms status` tells the user: the failed files by name, each with its error.
        var (code, stdout, stderr) = await CliProcess.RunAsync(
            ["status", "--collection", collection, "--db", connectionString, "--json", "--failures", "20"], timeout: TimeSpan.FromSeconds(60));
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(6, json.RootElement.GetProperty("failed").GetInt32());
        var failures = json.RootElement.GetProperty("recent_failures").EnumerateArray()
            .ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("error").GetString()!);
        Assert.Equal(hostile.Order(StringComparer.Ordinal), failures.Keys.Order(StringComparer.Ordinal));
        Assert.All(failures.Values, error => Assert.False(string.IsNullOrWhiteSpace(error)));
        Assert.Contains("empty", failures[Path.Combine(archive.Path, "bad", "empty.jpg")], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("60000", failures[Path.Combine(archive.Path, "bad", "bomb.png")], StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedFilesAreNotRetriedUntilTheyChangeAndAFixedFileIsThenIndexed()
    {
        await using var storage = await fixture.ClientForAsync(nameof(IndexingJobHostileFileTests));
        var collection = IndexingJobHarness.UniqueCollection("retry");
        IndexingJobTestImages.WriteArchive(Path.Combine(archive.Path, "good"), 4);
        var hostile = WriteHostileFiles(Path.Combine(archive.Path, "bad"));
        await harness.RunAsync(storage, collection, [archive.Path]);

        var again = await harness.RunAsync(storage, collection, [archive.Path]);
        var fixedFile = hostile.Single(p => p.EndsWith("notes.jpg", StringComparison.Ordinal));
        File.WriteAllBytes(fixedFile, IndexingJobTestImages.Jpeg(4242));
        File.SetLastWriteTimeUtc(fixedFile, DateTime.UtcNow.AddMinutes(1));
        var afterFix = await harness.RunAsync(storage, collection, [archive.Path]);

        Assert.Equal((0L, 0L, 0L), (again.Embedded, again.Reused, again.Failed));
        Assert.Equal((1L, 1L, 0L), (afterFix.Changed, afterFix.Embedded, afterFix.Failed));
        var status = await IndexingJobHarness.StatusAsync(storage, collection);
        Assert.Equal((5L, 5L, 0L), (status.Indexed, status.Failed, status.Pending));
    }

    /// <summary>Six files with image names that no decoder can use; returns their paths.</summary>
    private static List<string> WriteHostileFiles(string folder)
    {
        Directory.CreateDirectory(folder);
        var jpeg = IndexingJobTestImages.Jpeg(77, size: 64);
        var files = new Dictionary<string, byte[]>
        {
            ["empty.jpg"] = [],
            ["truncated.jpg"] = jpeg[..(jpeg.Length / 2)],
            ["notes.jpg"] = Encoding.UTF8.GetBytes("shopping list: milk, eggs\nthis is not a picture\n"),
            ["noise.png"] = IndexingJobTestImages.RandomBytes(1, 4096),
            ["bomb.png"] = IndexingJobTestImages.PngHeaderClaiming(60000, 60000),
            ["animation.gif"] = [.. "GIF89a"u8, .. IndexingJobTestImages.RandomBytes(2, 300)],
        };
        foreach (var (name, bytes) in files)
        {
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        }

        return files.Keys.Select(name => Path.Combine(folder, name)).ToList();
    }

    public void Dispose()
    {
        harness.Dispose();
        archive.Dispose();
    }
}
