using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training.Augmentation;

/// <summary>
/// More or less detail on [0, 1] RGB images: shrinking and enlarging back (lost fine detail, as a simpler style or a
/// smaller source), blurring or sharpening (soft shading versus crisp edges), and posterising (flat colour bands).
/// </summary>
internal static class DetailAugmentation
{
    /// <summary>3×3 binomial kernel, a cheap Gaussian of σ ≈ 0.85 px.</summary>
    private static readonly float[] Binomial = [1 / 16f, 2 / 16f, 1 / 16f, 2 / 16f, 4 / 16f, 2 / 16f, 1 / 16f, 2 / 16f, 1 / 16f];

    public static Tensor Downscale(Tensor unit, RandomAugmentation augmentation, Generator generator)
    {
        using var scope = torch.NewDisposeScope();
        var n = (int)unit.shape[0];
        var size = (int)unit.shape[^1];
        var draw = PerImageDraw.Take(generator, n, augmentation, 1);
        var images = Enumerable.Range(0, n).Select(i =>
        {
            // At least one pixel smaller, so a chosen image always loses some detail.
            var side = Math.Clamp((int)Math.Round(size * (1 - (augmentation.Strength * draw.Amount(i, 0)))), 2, size - 1);
            if (!draw.Applied[i])
            {
                return unit[i];
            }

            var small = nn.functional.interpolate(unit[i].unsqueeze(0), [side, side], mode: InterpolationMode.Area);
            return nn.functional.interpolate(small, [size, size], mode: InterpolationMode.Bilinear, align_corners: false).squeeze(0);
        }).ToList();
        return torch.stack(images).MoveToOuterDisposeScope();
    }

    /// <summary>Pillow's ImageEnhance.Sharpness idea: blend with a blurred copy, factor 0 (blurred) to 2 (sharpened).</summary>
    public static Tensor Sharpness(Tensor unit, RandomAugmentation augmentation, Generator generator)
    {
        using var scope = torch.NewDisposeScope();
        var draw = PerImageDraw.Take(generator, (int)unit.shape[0], augmentation, 1);
        var factor = draw.PerImage(i => (float)(1 + (((2 * draw.Amount(i, 0)) - 1) * augmentation.Strength)), 1, unit);
        var blurred = Blur(unit);
        return (blurred + (factor * (unit - blurred))).clamp_(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Drops 1 to S low bits of each 8-bit channel value.</summary>
    public static Tensor Posterise(Tensor unit, RandomAugmentation augmentation, Generator generator)
    {
        using var scope = torch.NewDisposeScope();
        var draw = PerImageDraw.Take(generator, (int)unit.shape[0], augmentation, 1);
        var largest = (int)augmentation.Strength;
        var step = draw.PerImage(i => 1 << (1 + Math.Min(largest - 1, (int)(draw.Amount(i, 0) * largest))), 1, unit);
        var levels = unit.mul(255).round_().div_(step).floor_().mul_(step).div_(255);
        return torch.where(draw.Mask(_ => true, unit), levels, unit).MoveToOuterDisposeScope();
    }

    /// <summary>Each channel convolved with <see cref="Binomial"/>, edges replicated.</summary>
    private static Tensor Blur(Tensor unit)
    {
        using var scope = torch.NewDisposeScope();
        var shape = unit.shape;
        var planes = unit.reshape(-1, 1, shape[^2], shape[^1]);
        var padded = nn.functional.pad(planes, [1, 1, 1, 1], PaddingModes.Replicate);
        using var kernel = torch.tensor(Binomial, [1, 1, 3, 3], dtype: unit.dtype, device: unit.device);
        return nn.functional.conv2d(padded, kernel).reshape(shape).MoveToOuterDisposeScope();
    }
}
