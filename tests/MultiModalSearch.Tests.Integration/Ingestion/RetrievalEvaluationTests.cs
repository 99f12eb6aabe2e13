using System.Text.Json;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Storage;
using MultiModalSearch.Tests.Support;
using Xunit.Abstractions;

namespace MultiModalSearch.Tests.Ingestion;

/// <summary>
/// <c>mms eval-retrieval</c> over the Debian question set reproduces the figures recorded in
/// tests/fixtures/retrieval/debian-docs-recorded.json (and docs/document-retrieval.md) for the bundled offline model:
/// the four manuals ingested by the real CLI, each recorded configuration run again, every number equal.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RetrievalEvaluationTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] Metrics = ["recall_at_1", "recall_at_5", "recall_at_10", "mrr", "refused_unanswerable", "refused_answerable"];

    [Fact]
    public async Task EvalRetrievalReproducesItsRecordedFiguresForTheOfflineModel()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        var model = BundledModel();
        var ingest = await CliProcess.RunAsync(
            ["ingest", DebianDocs.Folder, "--collection", "debian", "--model", model, "--db", connectionString, "--json"], timeout: TimeSpan.FromMinutes(8));
        Assert.True(ingest.ExitCode == 0, ingest.Stderr);
        using var recorded = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "retrieval", "debian-docs-recorded.json")));
        var questions = Path.Combine(AppContext.BaseDirectory, "fixtures", "retrieval", "debian-docs-questions.jsonl");
        foreach (var run in recorded.RootElement.GetProperty("offline").EnumerateArray())
        {
            var flags = run.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToArray();
            var (code, stdout, stderr) = await CliProcess.RunAsync(
                ["eval-retrieval", "--collection", "debian", "--questions", questions, "--db", connectionString, "--json", .. flags], timeout: TimeSpan.FromMinutes(5));
            Assert.True(code == 0, stderr);
            output.WriteLine($"{string.Join(' ', flags)}: {stdout.Trim()}");
            using var measured = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
            var expected = run.GetProperty("scores");
            foreach (var metric in Metrics)
            {
                Assert.True(expected.GetProperty(metric).GetDouble() == measured.RootElement.GetProperty(metric).GetDouble(),
                    $"{string.Join(' ', flags)}: {metric} measured {measured.RootElement.GetProperty(metric)}, recorded {expected.GetProperty(metric)}");
            }

            Assert.Equal(expected.GetProperty("stages_run").EnumerateArray().Select(s => s.GetString()), measured.RootElement.GetProperty("stages_run").EnumerateArray().Select(s => s.GetString()));
        }
    }

    /// <summary>models/emoji-clip of the checkout: the offline model every installation has.</summary>
    private static string BundledModel()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "MultiModalSearch.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return Path.Combine(dir ?? ".", "models", "emoji-clip");
    }
}
