using MultiModalSearch.Models.Clip;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Tests.Models;

/// <summary>
/// Fixture parity on the device <c>MMS_TEST_DEVICE</c> names (default cpu; docs/gpu.md runs it with cuda): fp32 within
/// the fixture's tolerance, reduced precisions (those the device runs fast) with cosine >= 0.999.
/// </summary>
public sealed class DeviceParityTests
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
        else if (CpuFeatures.HasFastBFloat16)
        {
            data.Add("bf16");
        }
        else
        {
            data.Add("fp32"); // nothing reduced runs fast here; the fp32 path still has to clear the same bar
        }

        return data;
    }

    [Fact]
    public void Float32MatchesReferenceOnDevice()
    {
        using var model = ClipModelLoader.Load(ClipTinyFixture.Directory, ComputeOptions.Resolve(Device, "fp32"));
        var device = ComputeOptions.Resolve(Device, "fp32").Device;
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        ClipTinyFixture.AssertClose(ClipTinyFixture.Expected("image_embeds"), model.GetImageFeatures(ClipTinyFixture.Expected("pixel_values").to(device)), "image_embeds");
        ClipTinyFixture.AssertClose(ClipTinyFixture.Expected("text_embeds"), model.GetTextFeatures(ClipTinyFixture.Expected("text_input_ids").to(device)), "text_embeds");
    }

    [Theory]
    [MemberData(nameof(ReducedPrecisions))]
    public void ReducedPrecisionKeepsCosineOnDevice(string dtype)
    {
        var compute = ComputeOptions.Resolve(Device, dtype);
        using var model = ClipModelLoader.Load(ClipTinyFixture.Directory, compute);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var images = model.GetImageFeatures(ClipTinyFixture.Expected("pixel_values").to(compute.Device).to(compute.DType));
        var texts = model.GetTextFeatures(ClipTinyFixture.Expected("text_input_ids").to(compute.Device));
        Assert.Equal(compute.DType, images.dtype);
        Assert.True(ClipTinyFixture.MinRowCosine(ClipTinyFixture.Expected("image_embeds"), images) >= 0.999, "image cosine");
        Assert.True(ClipTinyFixture.MinRowCosine(ClipTinyFixture.Expected("text_embeds"), texts) >= 0.999, "text cosine");
    }
}
