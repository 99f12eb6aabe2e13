using MultiModalSearch.Core.Indexing;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;
using MultiModalSearch.Models.Resolution;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Storage;
using MultiModalSearch.Tests.Support;

namespace MultiModalSearch.Tests.Indexing;

/// <summary>
/// The bundled offline model on the bundled sample archive, through the real indexer and PostgreSQL: typed queries
/// must find the right emoji. This is what a new user without network sees from the README's first command.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class EmojiSearchEndToEndTests(PostgresFixture fixture)
{
    public static TheoryData<string, string> Queries => new()
    {
        { "cat", "cat.png" },
        { "pizza", "pizza.png" },
        { "cloud with rain", "rain_cloud.png" },
        { "car", "car.png" },
        { "birthday cake", "birthday.png" },
        { "rocket", "rocket.png" },
        { "guitar", "guitar.png" },
        { "smiling face", "smile.png" },
    };

    [Fact]
    public async Task TypedQueriesFindTheRightEmojiInTheTopTen()
    {
        var model = ModelLocator.FindBundledModel([AppContext.BaseDirectory]) ?? throw new DirectoryNotFoundException("models/emoji-clip");
        using var session = ClipSession.Open(model, ComputeOptions.Cpu);
        await using var storage = await fixture.ClientForAsync(nameof(EmojiSearchEndToEndTests));
        var job = new IndexingJob(storage.IndexingStores(), session, new IndexingOptions { Roots = [SamplesDirectory()], Collection = "emoji-e2e", ModelId = ModelLocator.BundledModelName });

        var summary = await job.RunAsync();

        Assert.Equal(0, summary.Failed);
        Assert.True(summary.Crawled >= 200, $"crawled {summary.Crawled}");
        var collection = (await storage.Collections.FindAsync("emoji-e2e"))!;
        var misses = new List<string>();
        foreach (var (query, expected) in Queries.Select(row => ((string)row[0], (string)row[1])))
        {
            var hits = await storage.Vectors.SearchAsync(collection, session.EmbedText(query), 10);
            var names = hits.Select(h => Path.GetFileName(h.Paths[0])).ToList();
            if (!names.Contains(expected))
            {
                misses.Add($"'{query}' -> [{string.Join(", ", names)}]");
            }
        }

        Assert.True(misses.Count == 0, "expected emoji not in the top 10: " + string.Join("; ", misses));
    }

    [Fact]
    public async Task DemoCommandRunsOfflineOnTheBundledModel()
    {
        var database = await fixture.CreateDatabaseAsync();
        using var home = new TemporaryDirectory();

        var (code, stdout, stderr) = await CliProcess.RunAsync(["demo", "--db", database], new Dictionary<string, string> { ["HF_HOME"] = home.Path });

        Assert.True(code == 0, stderr);
        Assert.Contains("bundled offline model 'emoji-clip'", stderr);
        Assert.Contains("search \"pizza\"", stdout);
        Assert.Matches(@"search ""pizza""\s+1\. [0-9.]+\s+pizza\.png", stdout);
        Assert.Contains("0 failed", stdout);
    }

    private static string SamplesDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "samples", "emoji");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("samples/emoji not found above the test binaries");
    }
}
