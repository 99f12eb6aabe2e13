using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Generation;
using MultiModalSearch.Models.Llava;
using MultiModalSearch.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Tests.Llava;

/// <summary>
/// llava-tiny on the device <c>MMS_TEST_DEVICE</c> names (default cpu; docs/gpu.md runs it with cuda): fp32 within the
/// fixture's tolerances with the reference's greedy ids, reduced precisions (those the device runs fast) close to it.
/// </summary>
public sealed class LlavaDeviceParityTests
{
    private static string Device => Environment.GetEnvironmentVariable("MMS_TEST_DEVICE") ?? "cpu";

    public static TheoryData<string> ReducedPrecisions()
    {
        var data = new TheoryData<string>();
        if (Device.StartsWith("cuda", StringComparison.Ordinal))
        {
            data.Add("fp16");
            data.Add("bf16");
        }
        else
        {
            data.Add(CpuFeatures.HasFastBFloat16 ? "bf16" : "fp32");
        }

        return data;
    }

    [Fact]
    public void Float32MatchesReferenceAndGreedyIdsOnDevice()
    {
        var compute = ComputeOptions.Resolve(Device, "fp32");
        using var session = LlavaSession.Open(LlavaTinyFixture.Directory, compute);
        using (var scope = NewDisposeScope())
        using (var inference = torch.inference_mode())
        {
            var features = session.Model.GetImageFeatures(LlavaTinyFixture.Expected("pixel_values").to(compute.Device));
            Assert.Equal(compute.Device.type, features.device_type);
            LlavaTinyFixture.AssertClose(LlavaTinyFixture.Expected("image_features"), features, LlavaTinyFixture.HiddenTolerance, "image_features");
        }

        var images = LlavaTinyFixture.ImagePaths();
        foreach (var prompt in LlavaTinyFixture.Prompts())
        {
            List<LlavaImage> inputs = prompt.ImageIndex is { } i ? [LlavaImage.FromFile(images[i])] : [];
            Assert.Equal(prompt.GreedyIds, session.GenerateToEnd(prompt.Text, inputs, GenerationOptions.Greedy(12) with { StopTokenIds = [] }).GeneratedIds);
        }
    }

    [Theory]
    [MemberData(nameof(ReducedPrecisions))]
    public void ReducedPrecisionKeepsTheLogitsOnDevice(string dtype)
    {
        var compute = ComputeOptions.Resolve(Device, dtype);
        using var model = LlavaModelLoader.Load(LlavaTinyFixture.Directory, compute);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        foreach (var prompt in LlavaTinyFixture.Prompts())
        {
            var ids = LlavaTinyFixture.Expected($"{prompt.Name}.input_ids").unsqueeze(0).to(compute.Device);
            var features = prompt.ImageIndex is { } image ? model.GetImageFeatures(LlavaTinyFixture.Pixels(image)) : null;
            var logits = model.LanguageModel.LastLogits(model.EmbedInputs(ids, features), null)[0];
            Assert.Equal(compute.DType, logits.dtype);
            var cosine = nn.functional.cosine_similarity(logits.to(ScalarType.Float32).cpu(), LlavaTinyFixture.Expected($"{prompt.Name}.last_logits"), dim: 0).item<float>();
            Assert.True(cosine > 0.995, $"{prompt.Name} {dtype}: last logits cosine to the fp32 reference {cosine}");
        }
    }
}
