using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Llama;

/// <summary>
/// Rotary position tables (LlamaRotaryEmbedding) in Hugging Face's <c>rotate_half</c> convention: frequencies over the two
/// halves of a head, <c>inv_freq = 1 / theta^(arange(0, d, 2) / d)</c>. Computed in float32 and kept per device, never
/// in the state dict (the reference's <c>inv_freq</c> is a non-persistent buffer).
/// </summary>
public sealed class LlamaRotaryEmbedding : IDisposable
{
    private readonly int headDim;
    private readonly double theta;
    private readonly double linearScaling;
    private readonly Lock gate = new();
    private Tensor? cos;
    private Tensor? sin;

    public LlamaRotaryEmbedding(LlamaConfig config)
    {
        headDim = config.HeadDim;
        theta = config.RopeTheta;
        linearScaling = config.RopeLinearScalingFactor;
    }

    /// <summary>cos and sin for positions start .. start+length-1, [length, head_dim] in <paramref name="dtype"/>.</summary>
    public (Tensor Cos, Tensor Sin) ForPositions(long start, long length, Device device, ScalarType dtype)
    {
        lock (gate)
        {
            EnsureTable(start + length, device);
            return (cos!.narrow(0, start, length).to(dtype), sin!.narrow(0, start, length).to(dtype));
        }
    }

    public void Dispose()
    {
        cos?.Dispose();
        sin?.Dispose();
    }

    private void EnsureTable(long positions, Device device)
    {
        if (cos is not null && cos.shape[0] >= positions && cos.device == device)
        {
            return;
        }

        // Grown in powers of two so that decoding recomputes the table a handful of times, not every step.
        var capacity = Math.Max(256L, (long)BitOperations.RoundUpToPowerOf2((ulong)positions));
        using var scope = NewDisposeScope();
        var exponents = torch.arange(0, headDim, 2, ScalarType.Int64, device).to(ScalarType.Float32) / headDim;
        var invFreq = 1.0f / torch.pow(torch.tensor((float)theta, ScalarType.Float32, device), exponents);
        var steps = torch.arange(capacity, ScalarType.Int64, device).to(ScalarType.Float32);
        if (linearScaling != 1.0)
        {
            steps = steps / (float)linearScaling;
        }

        // [capacity, head_dim / 2] -> [capacity, head_dim]: both halves share a frequency.
        var freqs = torch.outer(steps, invFreq);
        var emb = torch.cat([freqs, freqs], dim: -1);
        cos?.Dispose();
        sin?.Dispose();
        cos = emb.cos().DetachFromDisposeScope();
        sin = emb.sin().DetachFromDisposeScope();
    }
}
