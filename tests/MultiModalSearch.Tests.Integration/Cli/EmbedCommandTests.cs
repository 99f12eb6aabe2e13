using System.Text.Json;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Support;
using TorchSharp;

namespace MultiModalSearch.Tests.Cli;

/// <summary>The <c>embed</c> and <c>tokenize</c> contract that scripts rely on, through the real tool.</summary>
public sealed class EmbedCommandTests
{
    private static readonly string Model = ClipTinyFixture.Directory;

    [Fact]
    public async Task TokenizePrintsReferenceIdsOneLinePerText()
    {
        var texts = ClipTinyFixture.Texts();
        using var json = JsonDocument.Parse(File.ReadAllBytes(ClipTinyFixture.ExpectedJsonPath));
        var expected = json.RootElement.GetProperty("text_token_ids").EnumerateArray().Select(a => a.EnumerateArray().Select(i => i.GetInt32()).ToArray()).ToList();

        var (code, stdout, stderr) = await CliProcess.RunAsync(["tokenize", "--model", Model, .. texts.SelectMany(t => new[] { "--text", t })]);

        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected.Count, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            Assert.Equal(expected[i], JsonSerializer.Deserialize<int[]>(lines[i]));
        }
    }

    [Fact]
    public async Task EmbedMatchesReferenceEndToEndInInputOrderAndReportsBadFiles()
    {
        var images = ClipTinyFixture.ImagePaths();
        var texts = ClipTinyFixture.Texts().Take(3).ToList();
        string[] args =
        [
            "embed", "--model", Model, "--batch-size", "4",
            "--image", images[3], "--text", texts[0], "--image", "/nonexistent/missing.jpg",
            "--image", images[0], "--image", images[1], "--text", texts[1], "--image", images[2], "--image", images[4], "--image", images[5], "--text", texts[2],
        ];

        var (code, stdout, stderr) = await CliProcess.RunAsync(args);

        Assert.Equal(1, code);
        Assert.Contains("1 of 10 inputs could not be embedded", stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var inputs = args.Skip(5).Where((_, i) => i % 2 == 1).ToList();
        Assert.Equal(inputs, lines.Select(l => l.GetProperty("input").GetString()));
        Assert.Equal("/nonexistent/missing.jpg", lines[2].GetProperty("input").GetString());
        Assert.False(string.IsNullOrEmpty(lines[2].GetProperty("error").GetString()));

        using var imageEmbeds = torch.nn.functional.normalize(ClipTinyFixture.Expected("image_embeds"), dim: 1);
        using var textEmbeds = torch.nn.functional.normalize(ClipTinyFixture.Expected("text_embeds"), dim: 1);
        foreach (var line in lines.Where(l => l.TryGetProperty("embedding", out _)))
        {
            var input = line.GetProperty("input").GetString()!;
            var actual = line.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            var isImage = line.GetProperty("kind").GetString() == "image";
            using var expected = isImage ? imageEmbeds[images.ToList().IndexOf(input)] : textEmbeds[texts.IndexOf(input)];
            var reference = expected.data<float>().ToArray();
            var cosine = actual.Zip(reference, (a, b) => (double)a * b).Sum();
            Assert.True(cosine >= (isImage ? 0.99 : 0.9999), $"{input}: cosine {cosine}");
            if (!isImage)
            {
                Assert.All(actual.Zip(reference), p => Assert.Equal(p.Second, p.First, 4));
            }
        }
    }

    [Fact]
    public async Task UnknownHubModelOfflineIsOneClearLine()
    {
        using var home = new TemporaryDirectory();
        var (code, stdout, stderr) = await CliProcess.RunAsync(["embed", "--model", "acme/no-such-clip", "--text", "x"], new Dictionary<string, string> { ["HF_HOME"] = home.Path });
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: Model 'acme/no-such-clip'", line);
        Assert.Contains("config.json, model.safetensors", line);
    }

    [Fact]
    public async Task EmbedWithoutInputsIsAUsageError()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["embed", "--model", Model]);
        Assert.Equal(2, code); // a mistake in the arguments: nothing was done
        Assert.Contains("give at least one --text or --image", stderr);
    }
}
