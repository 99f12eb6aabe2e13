using System.Text.Json;
using MultiModalSearch.Testing;
using MultiModalSearch.Testing.Answers;
using MultiModalSearch.Tests.Storage;
using MultiModalSearch.Tests.Support;

namespace MultiModalSearch.Tests.Answers;

/// <summary>
/// `mms ingest` then `mms ask` on the bundled illustrated sample, through the real tool and a real database: an extractive
/// answer that cites the harbour passage, a refusal for a question the sample does not answer, and the bundled
/// emoji-llava answering questions only a figure answers (its 256 positions hold one figure, not a grounded prompt:
/// it is shown the figure beside the best passage).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AskEndToEndTests(PostgresFixture fixture)
{
    private static readonly Dictionary<string, string> Offline = new() { ["HF_HUB_OFFLINE"] = "1", ["HF_ENDPOINT"] = "http://127.0.0.1:9" };

    [Fact]
    public async Task TheBundledSampleAnswersWithCitationsAndRefusesWhatItDoesNotHold()
    {
        var url = await fixture.CreateDatabaseAsync();
        var ingest = await CliProcess.RunAsync(["ingest", SampleSources.SamplesDirectory(), "--collection", "illustrated", "--db", url], Offline);
        Assert.True(ingest.ExitCode == 0, ingest.Stderr);

        var extractive = await AskAsync(url, "What did we see at the harbour on the third day?", "--llm-model", "none");
        var refused = await AskAsync(url, "Who won the 1998 football world cup?", "--llm-model", "none");

        Assert.True(extractive.GetProperty("extractive").GetBoolean());
        var sources = extractive.GetProperty("sources").EnumerateArray().ToList();
        Assert.Contains(sources, s => s.GetProperty("documentPath").GetString()!.EndsWith("travel-journal.md", StringComparison.Ordinal)
            && s.GetProperty("text").GetString()!.Contains("harbour", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.GetProperty("kind").GetString() == "figure");
        Assert.NotEqual(0, extractive.GetProperty("citations").GetArrayLength());
        Assert.True(refused.GetProperty("refused").GetBoolean());
        Assert.Equal(0, refused.GetProperty("sources").GetArrayLength());
    }

    [Theory]
    // The captions do not say what the figures show: only the model's reading of the image can.
    [InlineData("What did we see at the harbour on the third day?", "octopus", "travel-journal.md")]
    [InlineData("What did we carry all morning on day two?", "umbrella", "travel-journal.md")]
    [InlineData("What is the regular guest of the roof terrace?", "owl", "observatory-guide.md")]
    public async Task TheBundledEmojiLlavaAnswersFromTheFigureOffline(string question, string answer, string document)
    {
        var url = await fixture.CreateDatabaseAsync();
        var ingest = await CliProcess.RunAsync(["ingest", SampleSources.SamplesDirectory(), "--collection", "illustrated", "--db", url], Offline);
        Assert.True(ingest.ExitCode == 0, ingest.Stderr);

        var asked = await AskAsync(url, question, "--llm-model", RepositoryPaths.EmojiLlava);

        Assert.True(asked.GetProperty("singleFigure").GetBoolean());
        Assert.False(asked.GetProperty("extractive").GetBoolean());
        var text = asked.GetProperty("answer").GetString()!;
        var figure = asked.GetProperty("citations")[0].GetInt32();
        Assert.StartsWith($"{answer} [{figure}]", text, StringComparison.Ordinal);
        var cited = asked.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("n").GetInt32() == figure);
        Assert.Equal("figure", cited.GetProperty("kind").GetString());
        Assert.EndsWith(document, cited.GetProperty("documentPath").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> AskAsync(string url, string question, params string[] extra)
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(["ask", "--collection", "illustrated", question, "--json", "--db", url, .. extra], Offline);
        Assert.True(code == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }
}
