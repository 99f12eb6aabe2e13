using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Llama;

/// <summary>The rotary cos and sin tables for the positions of one forward pass, [positions, head_dim] each.</summary>
public sealed record LlamaRotaryPositions(Tensor Cos, Tensor Sin)
{
    /// <summary>
    /// <c>x * cos + rotate_half(x) * sin</c> with <c>rotate_half(x) = cat(-x2, x1)</c> over the two halves of the head
    /// (not interleaved pairs); x is [batch, heads, positions, head_dim].
    /// </summary>
    public Tensor Apply(Tensor x)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half);
        var x2 = x.narrow(-1, half, half);
        var rotated = torch.cat([-x2, x1], dim: -1);
        return (x * Cos + rotated * Sin).MoveToOuterDisposeScope();
    }
}
