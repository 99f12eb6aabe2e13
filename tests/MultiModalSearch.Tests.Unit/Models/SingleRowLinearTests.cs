using MultiModalSearch.Models.Compute;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Tests.Models;

/// <summary>The bf16 one-row linear kernel against libtorch's linear on the same bf16 values computed in float32.</summary>
public sealed class SingleRowLinearTests
{
    [Theory]
    [InlineData(1000, 130, true)]
    [InlineData(64, 2048, false)]
    [InlineData(3, 7, true)]
    public void MatchesFloat32LinearOnTheSameBFloat16Values(int outFeatures, int inFeatures, bool withBias)
    {
        torch.manual_seed(3);
        using var scope = NewDisposeScope();
        using var layer = nn.Linear(inFeatures, outFeatures, hasBias: withBias, dtype: ScalarType.BFloat16);
        var input = torch.randn(1, 1, inFeatures).to(ScalarType.BFloat16);
        using var inference = torch.inference_mode();

        var actual = SingleRowLinear.Forward(layer, input);

        var expected = nn.functional.linear(input.to(ScalarType.Float32), layer.weight!.to(ScalarType.Float32), layer.bias?.to(ScalarType.Float32));
        Assert.Equal([1L, 1, outFeatures], actual.shape);
        Assert.Equal(ScalarType.BFloat16, actual.dtype);
        // Only the final rounding to bf16 may differ: within one bf16 step (2^-8 relative) of the float32 result.
        var error = (actual.to(ScalarType.Float32) - expected).abs() / (expected.abs() + 1e-3);
        Assert.True(error.max().item<float>() <= 1.0 / 128, $"relative error {error.max().item<float>()}");
    }

    [Fact]
    public void RecordingGradientsOrSeveralRowsUseTheLayersOwnForward()
    {
        using var scope = NewDisposeScope();
        using var layer = nn.Linear(16, 8, dtype: ScalarType.BFloat16);
        var one = torch.randn(1, 16).to(ScalarType.BFloat16);
        var trained = SingleRowLinear.Forward(layer, one);
        Assert.True(trained.requires_grad, "with gradients on, the result must stay in the autograd graph");
        using var noGrad = torch.no_grad();
        var rows = torch.randn(3, 16).to(ScalarType.BFloat16);
        var expected = layer.call(rows);
        Assert.True(SingleRowLinear.Forward(layer, rows).eq(expected).all().item<bool>());
    }
}
