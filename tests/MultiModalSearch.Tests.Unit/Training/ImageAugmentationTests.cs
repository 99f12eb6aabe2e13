using MultiModalSearch.Abstractions.Errors;
using MultiModalSearch.Testing;
using MultiModalSearch.Training.Augmentation;
using MultiModalSearch.Training.Inputs;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Tests.Training;

/// <summary>
/// Each augmentation on its own, with probability 1 unless stated, checked for the change it promises: a test passes
/// only if its augmentation ran and did the right thing (an augmentation that is off, or a no-op, fails it).
/// Images here are [0, 1] colour values (mean 0, std 1) so expected values can be written down.
/// </summary>
public sealed class ImageAugmentationTests
{
    private const int Size = 16;
    private const int Batch = 32;
    private static readonly PixelNormalization Identity = new([0f, 0f, 0f], [1f, 1f, 1f]);

    [Fact]
    public void ShiftTranslatesEachImageByAtMostTheShift()
    {
        using var images = Pattern();

        var result = Pixels(Augment(images, new() { Shift = 2 }));

        var source = Pixels(images);
        var offsets = Enumerable.Range(0, Batch).Select(i => FindTranslation(source[0], result[i], 2)).ToList();
        Assert.All(offsets, o => Assert.NotNull(o));
        Assert.True(offsets.Count(o => o != (0, 0)) > Batch / 2, "most images should move");
        Assert.True(offsets.Distinct().Count() > 5, $"only {offsets.Distinct().Count()} distinct offsets");
    }

    [Fact]
    public void ZoomChangesTheSizeOfTheDrawing()
    {
        using var images = Square(side: 8, value: 1f);

        var areas = Pixels(Augment(images, new() { Zoom = 0.3 })).Select(p => p.Count(v => v > 0.5f) / 3).ToList();

        // A square of side 8 zoomed by up to ±30% has a side between about 6 and 11 pixels.
        Assert.All(areas, a => Assert.InRange(a, 5 * 5, 12 * 12));
        Assert.True(areas.Min() < 8 * 8 && areas.Max() > 8 * 8, $"areas {areas.Min()}..{areas.Max()}");
    }

    [Fact]
    public void HueRotationTurnsColoursButKeepsGreysAndTheChannelSum()
    {
        // Left half grey, right half a muted red that a rotation about the grey axis cannot push out of [0, 1].
        using var images = Halves([0.5f, 0.5f, 0.5f], [0.6f, 0.3f, 0.3f]);

        var result = Augment(images, new() { Hue = new(1, 1) });

        var left = Colours(result, column: 0);
        var right = Colours(result, column: Size - 1);
        Assert.All(left, c => AssertColour([0.5f, 0.5f, 0.5f], c, 1e-5f));
        Assert.All(right, c => Assert.Equal(1.2f, c.Sum(), 4));
        Assert.All(right, c => Assert.Equal(0.06f, SquaredChroma(c), 4));
        Assert.True(right.Count(c => Math.Abs(c[0] - 0.6f) > 0.05f) > Batch / 2, "most colours should turn");
    }

    [Fact]
    public void ChannelPermutationReordersTheChannels()
    {
        using var images = Filled([0.8f, 0.5f, 0.2f]);

        var colours = Colours(Augment(images, new() { Channels = new(1, 0) }), column: 3);

        Assert.All(colours, c => Assert.Equal([0.2f, 0.5f, 0.8f], c.Order().ToArray()));
        Assert.All(colours, c => Assert.NotEqual([0.8f, 0.5f, 0.2f], c));
        Assert.Equal(5, colours.Select(c => string.Join(",", c)).Distinct().Count());
    }

    [Fact]
    public void SaturationScalesTheChromaAndKeepsTheLuma()
    {
        using var images = Filled([0.6f, 0.3f, 0.3f]);

        var colours = Colours(Augment(images, new() { Saturation = new(1, 0.5) }), column: 3);

        Assert.All(colours, c => Assert.Equal(Luma([0.6f, 0.3f, 0.3f]), Luma(c), 4));
        var factors = colours.Select(c => (c[0] - c[1]) / 0.3f).ToList();
        Assert.All(factors, f => Assert.InRange(f, 0.5f - 1e-4f, 1.5f + 1e-4f));
        Assert.True(factors.Max() - factors.Min() > 0.5f, $"factors {factors.Min():F3}..{factors.Max():F3}");
    }

    [Fact]
    public void GrayscaleMakesEveryChannelTheLuma()
    {
        using var images = Filled([0.6f, 0.3f, 0.1f]);

        var colours = Colours(Augment(images, new() { Grayscale = new(1, 0) }), column: 3);

        var luma = Luma([0.6f, 0.3f, 0.1f]);
        Assert.All(colours, c => AssertColour([luma, luma, luma], c, 1e-5f));
    }

    [Fact]
    public void BrightnessMultipliesEveryValueByOneFactorPerImage()
    {
        using var images = Halves([0.2f, 0.2f, 0.2f], [0.4f, 0.3f, 0.1f]);

        var result = Augment(images, new() { Brightness = new(1, 0.5) });

        var factors = Colours(result, column: 0).Select(c => c[0] / 0.2f).ToList();
        var right = Colours(result, column: Size - 1);
        for (var i = 0; i < Batch; i++)
        {
            AssertColour([0.4f * factors[i], 0.3f * factors[i], 0.1f * factors[i]], right[i], 1e-5f);
        }

        Assert.All(factors, f => Assert.InRange(f, 0.5f - 1e-4f, 1.5f + 1e-4f));
        Assert.True(factors.Max() - factors.Min() > 0.5f, $"factors {factors.Min():F3}..{factors.Max():F3}");
    }

    [Fact]
    public void ContrastScalesDifferencesFromTheMeanGrey()
    {
        using var images = Halves([0.3f, 0.3f, 0.3f], [0.7f, 0.7f, 0.7f]);

        var result = Augment(images, new() { Contrast = new(1, 0.5) });

        var left = Colours(result, column: 0);
        var right = Colours(result, column: Size - 1);
        var factors = new List<float>();
        for (var i = 0; i < Batch; i++)
        {
            Assert.Equal(0.5f, (left[i][0] + right[i][0]) / 2, 4);
            factors.Add((right[i][0] - left[i][0]) / 0.4f);
        }

        Assert.All(factors, f => Assert.InRange(f, 0.5f - 1e-4f, 1.5f + 1e-4f));
        Assert.True(factors.Max() - factors.Min() > 0.5f, $"factors {factors.Min():F3}..{factors.Max():F3}");
    }

    [Fact]
    public void LineWeightThickensOrThinsDarkStrokes()
    {
        // A one-pixel dark vertical line on white: a minimum filter of radius 1 makes it three wide, a maximum filter removes it.
        using var images = VerticalLine(column: 7, dark: 0f, light: 1f);

        var widths = Pixels(Augment(images, new() { LineWeight = new(1, 1) })).Select(p => DarkColumns(p)).ToList();

        Assert.All(widths, w => Assert.Contains(w, (int[])[0, 3]));
        Assert.Contains(0, widths);
        Assert.Contains(3, widths);
    }

    [Fact]
    public void LineWeightRadiusStaysWithinTheStrength()
    {
        using var images = VerticalLine(column: 7, dark: 0f, light: 1f);

        var widths = Pixels(Augment(images, new() { LineWeight = new(1, 2) })).Select(p => DarkColumns(p)).ToList();

        Assert.All(widths, w => Assert.Contains(w, (int[])[0, 3, 5]));
        Assert.Contains(5, widths);
    }

    [Fact]
    public void DownscaleRemovesFineDetail()
    {
        using var images = Checkerboard();

        var result = Pixels(Augment(images, new() { Downscale = new(1, 0.5) }));

        // A one-pixel checkerboard has contrast 1 between neighbours; shrinking it averages the squares away.
        var contrasts = result.Select(NeighbourContrast).ToList();
        Assert.All(contrasts, c => Assert.True(c < 0.95, $"neighbour contrast {c:F3}"));
        Assert.True(contrasts.Average() < 0.5, $"mean neighbour contrast {contrasts.Average():F3}");
    }

    [Fact]
    public void DownscaleKeepsTheDrawingInPlace()
    {
        using var images = Square(side: 8, value: 1f);

        var result = Pixels(Augment(images, new() { Downscale = new(1, 0.6) }));

        // Half-pixel slips (align_corners mistakes) would move every drawing the same way.
        foreach (var pixels in result)
        {
            var (y, x) = Centroid(pixels);
            Assert.InRange(y, 7.5 - 0.3, 7.5 + 0.3);
            Assert.InRange(x, 7.5 - 0.3, 7.5 + 0.3);
        }
    }

    [Fact]
    public void SharpnessBlursSomeImagesAndSharpensOthers()
    {
        // A step from 0.3 to 0.7 between columns 7 and 8: a blur pulls column 7 up, sharpening pushes it down.
        using var images = Halves([0.3f, 0.3f, 0.3f], [0.7f, 0.7f, 0.7f]);

        var beside = Colours(Augment(images, new() { Sharpness = new(1, 1) }), column: Size / 2 - 1).Select(c => c[0]).ToList();

        Assert.Contains(beside, v => v > 0.35f);
        Assert.Contains(beside, v => v < 0.25f);
        Assert.All(beside, v => Assert.InRange(v, 0.2f - 1e-4f, 0.4f + 1e-4f));
    }

    [Fact]
    public void PosteriseDropsLowBits()
    {
        using var images = Ramp();

        var result = Pixels(Augment(images, new() { Posterise = new(1, 3) }));

        var steps = result.Select(p => p.Select(v => (int)Math.Round(v * 255)).Aggregate(0, (a, v) => a | v)).Select(LowestBit).ToList();
        Assert.All(steps, s => Assert.InRange(s, 2, 8));
        Assert.Equal((int[])[2, 4, 8], steps.Distinct().Order().ToArray());
    }

    [Fact]
    public void ProbabilityChoosesWhichImagesChange()
    {
        using var images = Filled([0.6f, 0.3f, 0.1f]);

        var colours = Colours(Augment(images, new() { Grayscale = new(0.5, 0) }, batch: 200), column: 3);

        var grey = colours.Count(c => Math.Abs(c[0] - c[2]) < 1e-5f);
        Assert.InRange(grey, 70, 130);
        Assert.All(colours.Where(c => Math.Abs(c[0] - c[2]) >= 1e-5f), c => AssertColour([0.6f, 0.3f, 0.1f], c, 1e-5f));
    }

    [Fact]
    public void TheSameSeedRepeatsEveryDrawAndAnotherSeedDoesNot()
    {
        using var images = Pattern();
        var all = new ImageAugmentationOptions
        {
            Shift = 2, Zoom = 0.2, Hue = new(0.5, 0.5), Channels = new(0.3, 0), Saturation = new(0.5, 0.5), Brightness = new(0.5, 0.3),
            Contrast = new(0.5, 0.3), Grayscale = new(0.2, 0), LineWeight = new(0.5, 2), Downscale = new(0.5, 0.5),
            Sharpness = new(0.5, 0.8), Posterise = new(0.3, 3),
        };

        using var a = Augment(images, all, seed: 5);
        using var b = Augment(images, all, seed: 5);
        using var c = Augment(images, all, seed: 6);

        Assert.Equal(images.shape, a.shape);
        Assert.True(a.equal(b).all().item<bool>());
        Assert.False(a.equal(c).all().item<bool>());
    }

    [Fact]
    public void NothingOnReturnsTheImagesUnchanged()
    {
        using var images = Pattern();

        using var result = Augment(images, ImageAugmentationOptions.None);

        Assert.True(result.equal(images).all().item<bool>());
    }

    [Fact]
    public void ColourWorkHappensInColourSpaceAndReturnsModelInputs()
    {
        // CLIP normalisation: grayscale must be taken on the colours, then normalised again.
        var clip = PixelNormalization.OpenAiClip;
        using var unit = Filled([0.6f, 0.3f, 0.1f]);
        using var normalised = clip.FromUnit(unit);
        using var generator = new Generator(5);

        using var result = ImageAugmentation.Apply(normalised, new() { Grayscale = new(1, 0) }, clip, generator);
        using var back = clip.ToUnit(result);

        var luma = Luma([0.6f, 0.3f, 0.1f]);
        Assert.All(Colours(back, column: 3), c => AssertColour([luma, luma, luma], c, 1e-5f));
    }

    [Theory]
    [InlineData("0.5", 0.5, 0.0)]
    [InlineData("1:0.25", 1.0, 0.25)]
    [InlineData(" 0.3 : 2 ", 0.3, 2.0)]
    public void ParsesProbabilityAndStrength(string text, double probability, double strength)
    {
        Assert.Equal(new RandomAugmentation(probability, strength), RandomAugmentation.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("half")]
    [InlineData("0.5:0.1:3")]
    [InlineData("0.5:x")]
    public void RejectsMalformedSettings(string text)
    {
        Assert.Throws<FormatException>(() => RandomAugmentation.Parse(text));
    }

    [Fact]
    public void ValidationNamesTheAugmentationAndTheValue()
    {
        var tooLikely = Assert.Throws<InvalidSettingException>(() => new ImageAugmentationOptions { Hue = new(1.5, 0.5) }.Validate());
        var noStrength = Assert.Throws<InvalidSettingException>(() => new ImageAugmentationOptions { LineWeight = new(0.5, 0) }.Validate());
        var fractional = Assert.Throws<InvalidSettingException>(() => new ImageAugmentationOptions { Posterise = new(0.5, 2.5) }.Validate());

        Assert.Equal("augment_hue", tooLikely.Setting);
        Assert.Contains("probability must be in [0, 1] (got 1.5)", tooLikely.Message);
        Assert.Equal("augment_line_weight", noStrength.Setting);
        Assert.Contains("strength", noStrength.Message);
        Assert.Equal("augment_posterise", fractional.Setting);
        Assert.Contains("whole number", fractional.Message);
        new ImageAugmentationOptions { Hue = new(0.5, 0.5), Channels = new(0.2, 0), Posterise = new(0.5, 3) }.Validate();
    }

    private static Tensor Augment(Tensor images, ImageAugmentationOptions options, ulong seed = 5, int batch = Batch)
    {
        using var generator = new Generator(seed);
        using var batched = images.shape[0] == batch ? images.alias() : images.narrow(0, 0, 1).expand(batch, -1, -1, -1).contiguous();
        return ImageAugmentation.Apply(batched, options, Identity, generator);
    }

    private static Tensor Image(Func<int, int, int, float> value)
    {
        var data = new float[Batch * 3 * Size * Size];
        for (var i = 0; i < Batch; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                for (var y = 0; y < Size; y++)
                {
                    for (var x = 0; x < Size; x++)
                    {
                        data[(((((i * 3) + c) * Size) + y) * Size) + x] = value(c, y, x);
                    }
                }
            }
        }

        return torch.tensor(data, [Batch, 3, Size, Size]);
    }

    private static Tensor Filled(float[] rgb) => Image((c, _, _) => rgb[c]);

    private static Tensor Halves(float[] left, float[] right) => Image((c, _, x) => x < Size / 2 ? left[c] : right[c]);

    private static Tensor Square(int side, float value) =>
        Image((_, y, x) => Math.Abs(y - ((Size - 1) / 2.0)) < side / 2.0 && Math.Abs(x - ((Size - 1) / 2.0)) < side / 2.0 ? value : 0f);

    private static Tensor VerticalLine(int column, float dark, float light) => Image((_, _, x) => x == column ? dark : light);

    private static Tensor Checkerboard() => Image((_, y, x) => (x + y) % 2);

    /// <summary>Every 8-bit level with bit 0 set somewhere, so posterising always changes it.</summary>
    private static Tensor Ramp() => Image((c, y, x) => (((((c * Size) + y) * Size) + x) % 256) / 255f);

    /// <summary>Distinct values everywhere, so any translation is recognisable.</summary>
    private static Tensor Pattern() => Image((c, y, x) => ((c * 7) + (y * 3) + (x * 5) + (x * y % 11)) / 200f);

    private static float[][] Pixels(Tensor images)
    {
        using var contiguous = images.contiguous();
        var all = contiguous.data<float>().ToArray();
        var length = 3 * Size * Size;
        return Enumerable.Range(0, (int)images.shape[0]).Select(i => all.AsSpan(i * length, length).ToArray()).ToArray();
    }

    /// <summary>The RGB colour at row 0 and the given column of each image.</summary>
    private static List<float[]> Colours(Tensor images, int column) =>
        Pixels(images).Select(p => new[] { p[column], p[(Size * Size) + column], p[(2 * Size * Size) + column] }).ToList();

    private static float Luma(float[] c) => (0.299f * c[0]) + (0.587f * c[1]) + (0.114f * c[2]);

    private static float SquaredChroma(float[] c)
    {
        var mean = c.Average();
        return c.Sum(v => (v - mean) * (v - mean));
    }

    private static void AssertColour(float[] expected, float[] actual, float tolerance)
    {
        for (var c = 0; c < 3; c++)
        {
            Assert.InRange(actual[c], expected[c] - tolerance, expected[c] + tolerance);
        }
    }

    /// <summary>The offset (dx, dy) within ±<paramref name="limit"/> for which <paramref name="moved"/> is <paramref name="source"/> translated with edges replicated, if any.</summary>
    private static (int, int)? FindTranslation(float[] source, float[] moved, int limit)
    {
        for (var dy = -limit; dy <= limit; dy++)
        {
            for (var dx = -limit; dx <= limit; dx++)
            {
                if (IsTranslation(source, moved, dx, dy))
                {
                    return (dx, dy);
                }
            }
        }

        return null;
    }

    private static bool IsTranslation(float[] source, float[] moved, int dx, int dy)
    {
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < Size; y++)
            {
                for (var x = 0; x < Size; x++)
                {
                    var sy = Math.Clamp(y + dy, 0, Size - 1);
                    var sx = Math.Clamp(x + dx, 0, Size - 1);
                    if (moved[(((c * Size) + y) * Size) + x] != source[(((c * Size) + sy) * Size) + sx])
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    private static int DarkColumns(float[] pixels) =>
        Enumerable.Range(0, Size).Count(x => Enumerable.Range(0, Size).All(y => pixels[(y * Size) + x] < 0.5f));

    private static double NeighbourContrast(float[] pixels)
    {
        var total = 0.0;
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x + 1 < Size; x++)
            {
                total += Math.Abs(pixels[(y * Size) + x] - pixels[(y * Size) + x + 1]);
            }
        }

        return total / (Size * (Size - 1));
    }

    /// <summary>Centre of mass (row, column) of the first channel.</summary>
    private static (double Y, double X) Centroid(float[] pixels)
    {
        double mass = 0, y = 0, x = 0;
        for (var row = 0; row < Size; row++)
        {
            for (var column = 0; column < Size; column++)
            {
                var v = pixels[(row * Size) + column];
                mass += v;
                y += v * row;
                x += v * column;
            }
        }

        return (y / mass, x / mass);
    }

    private static int LowestBit(int value) => value == 0 ? 256 : value & -value;
}
