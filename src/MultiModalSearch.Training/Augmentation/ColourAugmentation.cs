using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training.Augmentation;

/// <summary>
/// Colour changes on [0, 1] RGB images: channel permutation, hue rotation, saturation, grey and brightness are all
/// linear in RGB, so each image's are composed into one 3×3 matrix and applied with a single batched matrix product;
/// contrast (about the image's own mean grey) follows. Drawing styles disagree on exact colours far more than on shapes.
/// </summary>
internal static class ColourAugmentation
{
    /// <summary>ITU-R 601 luma weights, as Pillow's RGB to "L" conversion.</summary>
    private static readonly double[] Luma = [0.299, 0.587, 0.114];

    private static readonly int[][] Permutations = [[0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];

    public static Tensor Apply(Tensor unit, ImageAugmentationOptions options, Generator generator)
    {
        using var scope = torch.NewDisposeScope();
        var n = (int)unit.shape[0];
        var matrices = Enumerable.Range(0, n).Select(_ => Identity()).ToArray();
        Compose(matrices, options.Channels, generator, 1, (d, i) => Permutation(Permutations[Math.Min(4, (int)(d.Amount(i, 0) * 5))]));
        Compose(matrices, options.Hue, generator, 1, (d, i) => HueRotation(((2 * d.Amount(i, 0)) - 1) * options.Hue.Strength * Math.PI));
        Compose(matrices, options.Saturation, generator, 1, (d, i) => Saturation(Factor(d.Amount(i, 0), options.Saturation.Strength)));
        Compose(matrices, options.Grayscale, generator, 0, (_, _) => Saturation(0));
        Compose(matrices, options.Brightness, generator, 1, (d, i) => Scaled(Identity(), Factor(d.Amount(i, 0), options.Brightness.Strength)));
        var shape = unit.shape;
        var linear = torch.tensor(matrices.SelectMany(m => m).Select(v => (float)v).ToArray(), [n, 3, 3], dtype: unit.dtype, device: unit.device);
        var result = torch.bmm(linear, unit.reshape(n, 3, -1)).reshape(shape);
        if (options.Contrast.IsOn)
        {
            var draw = PerImageDraw.Take(generator, n, options.Contrast, 1);
            var factor = draw.PerImage(i => (float)Factor(draw.Amount(i, 0), options.Contrast.Strength), 1, unit);
            var mean = Grey(result).mean([1, 2, 3], keepdim: true);
            result = mean + (factor * (result - mean));
        }

        return result.clamp_(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>[n, 1, H, W] luma of [n, 3, H, W] RGB.</summary>
    public static Tensor Grey(Tensor rgb)
    {
        using var weights = torch.tensor(Luma.Select(v => (float)v).ToArray(), [1, 3, 1, 1], dtype: rgb.dtype, device: rgb.device);
        return (rgb * weights).sum(1, keepdim: true);
    }

    /// <summary>Draws one augmentation for the batch and left-multiplies each chosen image's matrix by its operation.</summary>
    private static void Compose(double[][] matrices, RandomAugmentation augmentation, Generator generator, int amounts, Func<PerImageDraw, int, double[]> operation)
    {
        if (!augmentation.IsOn)
        {
            return;
        }

        var draw = PerImageDraw.Take(generator, matrices.Length, augmentation, amounts);
        for (var i = 0; i < matrices.Length; i++)
        {
            if (draw.Applied[i])
            {
                matrices[i] = Multiply(operation(draw, i), matrices[i]);
            }
        }
    }

    private static double Factor(float uniform, double strength) => 1 + (((2 * uniform) - 1) * strength);

    private static double[] Identity() => [1, 0, 0, 0, 1, 0, 0, 0, 1];

    private static double[] Permutation(int[] sources)
    {
        var m = new double[9];
        for (var row = 0; row < 3; row++)
        {
            m[(row * 3) + sources[row]] = 1;
        }

        return m;
    }

    /// <summary>Rotation by <paramref name="angle"/> about the grey axis (1, 1, 1)/√3 (Rodrigues): greys stay grey, hues turn.</summary>
    private static double[] HueRotation(double angle)
    {
        var c = Math.Cos(angle);
        var s = Math.Sin(angle) / Math.Sqrt(3);
        var t = (1 - c) / 3;
        return
        [
            c + t, t - s, t + s,
            t + s, c + t, t - s,
            t - s, t + s, c + t,
        ];
    }

    /// <summary>Each colour moved towards (factor &lt; 1) or away from (factor &gt; 1) its own luma.</summary>
    private static double[] Saturation(double factor)
    {
        var m = new double[9];
        for (var row = 0; row < 3; row++)
        {
            for (var column = 0; column < 3; column++)
            {
                m[(row * 3) + column] = ((1 - factor) * Luma[column]) + (row == column ? factor : 0);
            }
        }

        return m;
    }

    private static double[] Scaled(double[] m, double factor) => m.Select(v => v * factor).ToArray();

    private static double[] Multiply(double[] a, double[] b)
    {
        var m = new double[9];
        for (var row = 0; row < 3; row++)
        {
            for (var column = 0; column < 3; column++)
            {
                m[(row * 3) + column] = (a[row * 3] * b[column]) + (a[(row * 3) + 1] * b[3 + column]) + (a[(row * 3) + 2] * b[6 + column]);
            }
        }

        return m;
    }
}
