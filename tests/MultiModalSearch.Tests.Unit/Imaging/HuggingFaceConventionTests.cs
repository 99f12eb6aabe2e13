using System.Text.Json;
using MultiModalSearch.Imaging;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Imaging;

/// <summary>
/// Hugging Face's CLIPImageProcessor order (LLaVA's reference) on images where it differs from OpenAI's: alpha, palette,
/// odd crop margins (tests/fixtures/hf-clip-processor, made with Pillow).
/// </summary>
public sealed class HuggingFaceConventionTests
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "fixtures", "hf-clip-processor");

    public static TheoryData<int> Images => new() { 0, 1, 2 };

    [Theory]
    [MemberData(nameof(Images))]
    public void PixelValuesMatchThePillowReferenceAndDifferFromOpenAisOrder(int index)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, "expected.json")));
        var path = Path.Combine(Directory, json.RootElement.GetProperty("image_order")[index].GetString()!);
        var config = ImagePreprocessorConfig.Load(Path.Combine(Directory, "preprocessor_config.json"));
        var (expected, shape) = TestSafetensors.ReadF32(Path.Combine(Directory, "expected.safetensors"), "pixel_values");
        var length = shape[1] * shape[2] * shape[3];
        var reference = expected.AsSpan(index * length, length).ToArray();

        var huggingFace = new ImagePreprocessor(config with { Convention = PreprocessingConvention.HuggingFace }).Preprocess(path);
        var openAi = new ImagePreprocessor(config).Preprocess(path);

        Assert.True(MaxAbsDiff(huggingFace, reference) <= 1e-6, $"{path}: max abs diff {MaxAbsDiff(huggingFace, reference):G4}");
        Assert.True(MaxAbsDiff(openAi, reference) > 1e-2, $"{path}: OpenAI's order should differ here");
    }

    private static double MaxAbsDiff(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();
}
