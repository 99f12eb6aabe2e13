using MultiModalSearch.Imaging;
using MultiModalSearch.Models.ChineseClip;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;
using MultiModalSearch.Models.Resolution;
using MultiModalSearch.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Tests.Inference;

/// <summary>Chinese-CLIP through the same session the indexer and search use, from texts and image files.</summary>
public sealed class ChineseClipSessionTests
{
    private static readonly TextModelFixture Fixture = TextModelFixture.ChineseClipTiny;

    [Fact]
    public void SessionOpensChineseClipFromItsConfig()
    {
        using var session = ClipSession.Open(Fixture.Directory, ComputeOptions.Cpu);

        Assert.IsType<ChineseClipEmbedder>(session.Embedder);
        Assert.Equal(16, session.Dimension);
        Assert.True(session.Preprocessor.Config.ResizesToFixedSize);
        Assert.Equal(PreprocessingConvention.HuggingFace, session.Preprocessor.Config.Convention);
    }

    [Fact]
    public void TextEmbeddingsFromTextsMatchTheReferenceNormalised()
    {
        using var session = ClipSession.Open(Fixture.Directory, ComputeOptions.Cpu);
        using var expected = nn.functional.normalize(Fixture.Expected("text_embeds"), dim: -1);

        var embeddings = session.EmbedTexts(Fixture.Texts(), batchSize: 5);

        using var actual = torch.tensor(embeddings.SelectMany(e => e).ToArray(), [embeddings.Length, 16]);
        Assert.True(ClipTinyFixture.MinRowCosine(expected, actual) > 0.99999);
        using var difference = (expected - actual).abs().max();
        Assert.True(difference.item<float>() < 1e-4f, $"max abs {difference.item<float>()}");
        Assert.Equal(embeddings[1], session.EmbedText(Fixture.Texts()[1]), (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public async Task ImageEmbeddingsFromTheFilesAreWithinTheEndToEndTolerance()
    {
        using var session = ClipSession.Open(Fixture.Directory, ComputeOptions.Cpu);
        using var expected = nn.functional.normalize(Fixture.Expected("image_embeds"), dim: -1);
        var paths = Fixture.ImagePaths();

        var results = new List<float[]>();
        await foreach (var result in session.CreateImagePipeline(new PipelineOptions { BatchSize = 4 }).RunAsync(paths))
            results.Add(result.Embedding ?? throw new InvalidOperationException(result.Error));

        using var actual = torch.tensor(results.SelectMany(e => e).ToArray(), [results.Count, 16]);
        using var cosines = nn.functional.cosine_similarity(expected, actual, dim: 1);
        var perImage = cosines.data<float>().ToArray();
        Assert.All(perImage, c => Assert.True(c >= 0.99, $"cosines {string.Join(", ", perImage)}"));
        var upload = session.EmbedImage(File.ReadAllBytes(paths[3]), "rgba.png");
        Assert.Equal(results[3], upload, (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public void PreprocessedFilesAreTheReferencePixelsToWithinTwoLevels()
    {
        using var session = ClipSession.Open(Fixture.Directory, ComputeOptions.Cpu);
        using var expected = Fixture.Expected("pixel_values");
        var paths = Fixture.ImagePaths();
        // One 8-bit level is 1/255/std ~ 0.015 after normalisation; the reference resized with another bicubic.
        const float TwoLevels = 2f / 255f / 0.26130258f + 1e-4f;
        for (var i = 0; i < paths.Count; i++)
        {
            using var actual = torch.tensor(session.Preprocessor.Preprocess(paths[i]), [3, 224, 224]);
            using var difference = (actual - expected[i]).abs().max();
            Assert.True(difference.item<float>() <= TwoLevels, $"{Path.GetFileName(paths[i])}: max abs {difference.item<float>()}");
        }
    }

    [Fact]
    public void SentenceEmbedderCannotIndexImages()
    {
        var error = Assert.Throws<UnsupportedModelException>(() => ClipSession.Open(TextModelFixture.BertTiny.Directory, ComputeOptions.Cpu));
        Assert.Contains("is a sentence embedder (BERT), not an image-text model", error.Message, StringComparison.Ordinal);
    }
}
