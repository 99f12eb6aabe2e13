using MultiModalSearch.Models.Clip;
using MultiModalSearch.Testing;
using MultiModalSearch.Training.Data;
using MultiModalSearch.Training.Evaluation;
using MultiModalSearch.Training.Inputs;

namespace MultiModalSearch.Tests.Training;

/// <summary>
/// The bundled offline model (models/emoji-clip) against the figures its README and eval.json publish. Needs the
/// Twitter emoji images, which scripts/setup.sh fetches (scripts/fetch-emoji.sh, npm) into .mms/data/emoji: no test
/// goes to the network.
/// </summary>
public sealed class EmojiModelTests
{
    [Fact]
    public void EvalOnTwitterEmojiReproducesThePublishedFigures()
    {
        var root = RepositoryRoot();
        var model = Path.Combine(root, "models", "emoji-clip");
        var data = FetchEmoji(root);
        var expected = RetrievalResult.FromJson(File.ReadAllText(Path.Combine(model, "eval.json")));

        using var clip = ClipModelLoader.Load(model);
        var evaluator = new RetrievalEvaluator(new ClipBatchBuilder(ClipInputEncoder.FromModelDirectory(model)), batchSize: 128);
        var result = evaluator.Evaluate(clip, CaptionDataset.Load(Path.Combine(data, "twitter.jsonl")));

        Assert.Equal(expected.Images, result.Images);
        Assert.Equal(expected.Texts, result.Texts);
        // Exact counts on the same CPU; a different BLAS may flip a near-tie, hence one query of slack.
        var slack = 1.0 / result.Texts + 1e-9;
        Assert.InRange(result.TextToImage.R1, expected.TextToImage.R1 - slack, expected.TextToImage.R1 + slack);
        Assert.InRange(result.TextToImage.R5, expected.TextToImage.R5 - slack, expected.TextToImage.R5 + slack);
        Assert.InRange(result.TextToImage.R10, expected.TextToImage.R10 - slack, expected.TextToImage.R10 + slack);
        Assert.InRange(result.ImageToText.R10, expected.ImageToText.R10 - (1.0 / result.Images) - 1e-9, expected.ImageToText.R10 + (1.0 / result.Images) + 1e-9);
        Assert.True(result.TextToImage.R10 >= 0.25, $"text->image R@10 {result.TextToImage.R10:F4} is below the 0.25 goal");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "models", "emoji-clip", "config.json")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("models/emoji-clip not found above the test binaries");
    }

    private static string FetchEmoji(string root)
    {
        var data = Path.Combine(root, ".mms", "data", "emoji");
        Assert.True(File.Exists(Path.Combine(data, "twitter.jsonl")), $"the emoji evaluation set is missing from {data}: run scripts/setup.sh, which fetches it");
        return data;
    }
}
