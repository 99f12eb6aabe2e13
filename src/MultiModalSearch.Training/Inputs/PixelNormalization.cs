using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training.Inputs;

/// <summary>
/// How an encoder turned 8-bit pixels into model inputs: <c>x = (v · rescale − mean) / std</c> per RGB channel.
/// Lets pixel-space augmentations (colour, posterisation) work on values where 0 is black and 1 is white.
/// </summary>
/// <param name="White">The rescaled value of 8-bit white: 255 · rescale factor (1 for CLIP's 1/255).</param>
public sealed record PixelNormalization(IReadOnlyList<float> Mean, IReadOnlyList<float> Std, double White = 1.0)
{
    /// <summary>OpenAI CLIP's mean and standard deviation with the 1/255 rescale.</summary>
    public static PixelNormalization OpenAiClip { get; } = new([0.48145466f, 0.4578275f, 0.40821073f], [0.26862954f, 0.26130258f, 0.27577711f]);

    /// <summary>[n, 3, H, W] model inputs to [0, 1] colour values.</summary>
    public Tensor ToUnit(Tensor images)
    {
        using var scope = torch.NewDisposeScope();
        var (mean, std) = Broadcastable(images);
        return images.mul(std).add_(mean).div_(White).MoveToOuterDisposeScope();
    }

    /// <summary>The inverse of <see cref="ToUnit"/>.</summary>
    public Tensor FromUnit(Tensor unit)
    {
        using var scope = torch.NewDisposeScope();
        var (mean, std) = Broadcastable(unit);
        return unit.mul(White).sub_(mean).div_(std).MoveToOuterDisposeScope();
    }

    private (Tensor Mean, Tensor Std) Broadcastable(Tensor images) =>
        (torch.tensor(Mean.ToArray(), [1, 3, 1, 1], dtype: images.dtype, device: images.device),
         torch.tensor(Std.ToArray(), [1, 3, 1, 1], dtype: images.dtype, device: images.device));
}
