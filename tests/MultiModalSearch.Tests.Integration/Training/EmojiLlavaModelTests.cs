using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Llava;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Support;
using MultiModalSearch.Training.Data;
using MultiModalSearch.Training.Llava;

namespace MultiModalSearch.Tests.Training;

/// <summary>
/// The bundled offline vision-language model (models/emoji-llava) through the real tool: <c>mms generate</c> with the
/// prompt its chat template renders names emoji in both drawing styles, <c>mms eval-llava</c>'s figures are the
/// published ones, and <c>mms train-llava</c> trains a tiny model that <c>mms generate</c> then reads.
/// </summary>
public sealed class EmojiLlavaModelTests
{
    private const string Prompt = "USER: <image>\nWhat is shown in this figure? ASSISTANT:";

    private static string Images => Path.Combine(AppContext.BaseDirectory, "fixtures", "emoji-llava");

    public static TheoryData<string, string> FixtureImages()
    {
        var data = new TheoryData<string, string>();
        foreach (var manifest in new[] { "google.jsonl", "twitter.jsonl" })
        {
            foreach (var item in CaptionDataset.Load(Path.Combine(Images, manifest)))
            {
                data.Add(Path.GetRelativePath(Images, item.ImagePath), item.Captions[0]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FixtureImages))]
    public async Task GenerateNamesTheEmoji(string image, string name)
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(
            ["generate", "--model", Model, "--image", Path.Combine(Images, image), "--prompt", Prompt, "--greedy", "--max-new-tokens", "24"]);

        Assert.True(code == 0, stderr);
        Assert.Equal(name, stdout.Trim());
    }

    [Fact]
    public void TheTemplatePromptIsTheOneTheModelWasTrainedOn()
    {
        using var session = LlavaSession.Open(Model, ComputeOptions.Cpu);

        Assert.Equal(Prompt, NamingEvaluator.Prompt(session, "What is shown in this figure?"));
    }

    [Theory]
    [InlineData("twitter.jsonl", "eval.json")]
    [InlineData("google.jsonl", "eval-google.json")]
    public async Task EvalReproducesThePublishedFigures(string manifest, string published)
    {
        var data = Path.Combine(RepositoryPaths.Root, ".mms", "data", "emoji", manifest);
        Assert.True(File.Exists(data), $"the emoji evaluation set {data} is missing: run scripts/setup.sh, which fetches it");
        var expected = NamingResult.FromJson(File.ReadAllText(Path.Combine(Model, published)));

        var (code, stdout, stderr) = await CliProcess.RunAsync(["eval-llava", "--model", Model, "--data", data, "--json"], timeout: TimeSpan.FromMinutes(10));

        Assert.True(code == 0, stderr);
        var result = NamingResult.FromJson(stdout);
        Assert.Equal(expected.Images, result.Images);
        Assert.Equal(expected.Prompt, result.Prompt);
        // Greedy ids on the same CPU are exact; another BLAS may flip a near-tie, hence a little slack.
        Assert.InRange(result.Exact, expected.Exact - 3, expected.Exact + 3);
        Assert.InRange(result.AnyCaption, expected.AnyCaption - 3, expected.AnyCaption + 3);
    }

    [Fact]
    public async Task TrainLlavaWritesAModelThatGenerateReads()
    {
        using var output = new TemporaryDirectory();
        var (code, stdout, stderr) = await CliProcess.RunAsync(
        [
            "train-llava", "--data", Path.Combine(Images, "google.jsonl"), "--eval-data", Path.Combine(Images, "google.jsonl"),
            "--vision", Path.Combine(RepositoryPaths.Root, "models", "emoji-clip"), "--out", output.Path,
            "--epochs", "150", "--batch-size", "6", "--lr", "5e-3", "--warmup", "5", "--seed", "3",
            "--hidden-size", "64", "--intermediate-size", "128", "--layers", "1", "--vocab-size", "400", "--save-fp16",
        ], timeout: TimeSpan.FromMinutes(5));

        Assert.True(code == 0, stderr);
        Assert.Contains("images 6: exact name 6 (100.0 %)", stdout);
        var generated = await CliProcess.RunAsync(
            ["generate", "--model", output.Path, "--image", Path.Combine(Images, "google", "1f680.png"), "--prompt", Prompt, "--greedy"]);
        Assert.True(generated.ExitCode == 0, generated.Stderr);
        Assert.Equal("rocket", generated.Stdout.Trim());
    }

    [Fact]
    public async Task TrainLlavaRefusesAVisionFolderThatIsNotClipInOneLine()
    {
        using var output = new TemporaryDirectory();
        var (code, _, stderr) = await CliProcess.RunAsync(
            ["train-llava", "--data", Path.Combine(Images, "google.jsonl"), "--vision", output.Path, "--out", output.File("model")]);

        Assert.NotEqual(0, code);
        Assert.Contains("a CLIP model folder is needed for the vision tower", stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string Model => RepositoryPaths.EmojiLlava;
}
