using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training.Augmentation;

/// <summary>
/// Random translation by up to <c>shift</c> pixels and random zoom by up to ±<c>zoom</c> (a crop of (1±zoom)·S
/// resized back to S), with edge replication. Stops a small vision tower from memorising exact pixel positions and
/// sizes. Works on model inputs directly (it moves pixels, it does not change their values).
/// </summary>
internal static class GeometricAugmentation
{
    public static Tensor Apply(Tensor images, int shift, double zoom, Generator generator)
    {
        if (shift <= 0 && zoom <= 0)
        {
            return images.alias();
        }

        if (zoom <= 0)
        {
            return Shift(images, shift, generator);
        }

        using var scope = torch.NewDisposeScope();
        var size = (int)images.shape[^1];
        var margin = shift + (int)Math.Ceiling(zoom * size / 2);
        var padded = nn.functional.pad(images, [margin, margin, margin, margin], PaddingModes.Replicate);
        // Per image: crop side, then x and y offsets of the crop's centre from the padded canvas' centre.
        var draws = torch.rand([images.shape[0], 3], generator: generator).data<float>().ToArray();
        var augmented = Enumerable.Range(0, (int)images.shape[0])
            .Select(i => Crop(padded[i], size, margin, shift, zoom, draws.AsSpan(3 * i, 3)))
            .ToList();
        return torch.stack(augmented).MoveToOuterDisposeScope();
    }

    /// <summary>Translation only, with integer draws: kept as its own path so runs published with it (models/emoji-clip) stay reproducible.</summary>
    private static Tensor Shift(Tensor images, int shift, Generator generator)
    {
        using var scope = torch.NewDisposeScope();
        var size = images.shape[^1];
        var padded = nn.functional.pad(images, [shift, shift, shift, shift], PaddingModes.Replicate);
        var offsets = torch.randint(0, (2 * shift) + 1, [images.shape[0], 2], dtype: ScalarType.Int64, generator: generator).data<long>().ToArray();
        var shifted = Enumerable.Range(0, (int)images.shape[0])
            .Select(i => padded[i].narrow(1, offsets[2 * i], size).narrow(2, offsets[(2 * i) + 1], size))
            .ToList();
        return torch.stack(shifted).MoveToOuterDisposeScope();
    }

    private static Tensor Crop(Tensor image, int size, int margin, int shift, double zoom, ReadOnlySpan<float> draw)
    {
        var side = (int)Math.Round(size * (1 - zoom + (2 * zoom * draw[0])));
        var centre = margin + (size / 2.0);
        var x = (int)Math.Round(centre - (side / 2.0) + ((2 * draw[1]) - 1) * shift);
        var y = (int)Math.Round(centre - (side / 2.0) + ((2 * draw[2]) - 1) * shift);
        var maxStart = (int)image.shape[^1] - side;
        var crop = image.narrow(1, Math.Clamp(y, 0, maxStart), side).narrow(2, Math.Clamp(x, 0, maxStart), side);
        return side == size
            ? crop
            : nn.functional.interpolate(crop.unsqueeze(0), [size, size], mode: InterpolationMode.Bilinear, align_corners: false).squeeze(0);
    }
}
