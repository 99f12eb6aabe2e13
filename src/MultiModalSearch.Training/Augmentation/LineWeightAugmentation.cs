using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training.Augmentation;

/// <summary>
/// Heavier or lighter strokes on [0, 1] RGB images: a minimum filter (grey-scale erosion) spreads dark outlines and
/// features, a maximum filter (dilation) thins them; radius 1 is a 3×3 window. Styles differ most visibly in outline
/// weight (none, thin, heavy), so the model should not key on it.
/// </summary>
internal static class LineWeightAugmentation
{
    public static Tensor Apply(Tensor unit, RandomAugmentation augmentation, Generator generator)
    {
        using var scope = torch.NewDisposeScope();
        var draw = PerImageDraw.Take(generator, (int)unit.shape[0], augmentation, 2);
        var largest = (int)augmentation.Strength;
        var groups = Enumerable.Range(0, draw.Applied.Length)
            .Where(i => draw.Applied[i])
            .GroupBy(i => (Thicken: draw.Amount(i, 0) < 0.5f, Radius: 1 + Math.Min(largest - 1, (int)(draw.Amount(i, 1) * largest))));
        var result = unit.clone();
        // Only the chosen images are filtered, one group per direction and radius.
        foreach (var group in groups)
        {
            using var indices = torch.tensor(group.Select(i => (long)i).ToArray(), device: unit.device);
            var filtered = Filter(unit.index_select(0, indices), group.Key.Radius, group.Key.Thicken ? torch.minimum : torch.maximum);
            result.index_copy_(0, indices, filtered);
        }

        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The minimum or maximum over a (2r+1)² window, as two passes of shifted views (libtorch's stride-1 max_pool2d
    /// on CPU is about 30 times slower). Replicated edges change nothing: the copies are already in the window.
    /// </summary>
    private static Tensor Filter(Tensor unit, int radius, Func<Tensor, Tensor, Tensor> combine)
    {
        using var scope = torch.NewDisposeScope();
        var height = unit.shape[^2];
        var width = unit.shape[^1];
        var padded = nn.functional.pad(unit, [radius, radius, radius, radius], PaddingModes.Replicate);
        var rows = padded.narrow(-1, 0, width);
        for (var k = 1; k <= 2 * radius; k++)
        {
            rows = combine(rows, padded.narrow(-1, k, width));
        }

        var result = rows.narrow(-2, 0, height);
        for (var k = 1; k <= 2 * radius; k++)
        {
            result = combine(result, rows.narrow(-2, k, height));
        }

        return result.MoveToOuterDisposeScope();
    }
}
