using System.Text.Json;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Support;

namespace MultiModalSearch.Tests.Cli;

/// <summary>The <c>generate</c> contract through the real tool: ids and greedy tokens as the reference, streaming, refusals.</summary>
public sealed class GenerateCommandTests
{
    [Fact]
    public async Task JsonOutputHasTheReferenceIdsAndGreedyContinuation()
    {
        var prompt = LlavaTinyFixture.Prompt("prompt0");
        var (code, stdout, stderr) = await CliProcess.RunAsync(
        [
            "generate", "--model", LlavaTinyFixture.Directory, "--image", LlavaTinyFixture.ImagePaths()[0],
            "--prompt", prompt.Text, "--max-new-tokens", "12", "--greedy", "--json",
        ]);

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(["input_ids", "generated_ids", "text"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(prompt.InputIds, root.GetProperty("input_ids").EnumerateArray().Select(i => i.GetInt32()));
        Assert.Equal(prompt.GreedyIds, root.GetProperty("generated_ids").EnumerateArray().Select(i => i.GetInt32()));
        Assert.Equal(prompt.GreedyText, root.GetProperty("text").GetString());
    }

    [Fact]
    public async Task StreamsTextAndSeededSamplingRepeats()
    {
        var prompt = LlavaTinyFixture.Prompt("prompt2");
        var greedy = await CliProcess.RunAsync(["generate", "--model", LlavaTinyFixture.Directory, "--prompt", prompt.Text, "--max-new-tokens", "12"]);
        Assert.True(greedy.ExitCode == 0, greedy.Stderr);
        Assert.Equal(prompt.GreedyText + "\n", greedy.Stdout);

        string[] sampling = ["generate", "--model", LlavaTinyFixture.Directory, "--prompt", prompt.Text, "--max-new-tokens", "8", "--temperature", "0.9", "--top-p", "0.9", "--seed", "5", "--json"];
        var first = await CliProcess.RunAsync(sampling);
        var second = await CliProcess.RunAsync(sampling);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal(first.Stdout, second.Stdout);
    }

    [Theory]
    [InlineData("--greedy|--temperature|0.5", "--greedy cannot be combined")]
    [InlineData("--image|/nonexistent/x.png", "image not found: /nonexistent/x.png")]
    [InlineData("--top-p|1.5", "top-p must be in (0, 1] (got 1.5)")]
    public async Task BadArgumentsFailWithOneClearLine(string extra, string expected)
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["generate", "--model", LlavaTinyFixture.Directory, "--prompt", "USER: hi ASSISTANT:", .. extra.Split('|')]);
        Assert.Equal(1, code);
        Assert.Contains(expected, stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
