using MultiModalSearch.Abstractions.Errors;

namespace MultiModalSearch.Training.Augmentation;

/// <summary>
/// Which augmentations the trainer applies to each training image, and how strongly. Geometry (shift, zoom) applies to
/// every image; each other augmentation to an image with its own probability, at a random amount up to its strength.
/// Everything is off by default.
/// </summary>
public sealed record ImageAugmentationOptions
{
    public static ImageAugmentationOptions None { get; } = new();

    /// <summary>Random translation by up to this many pixels (edges replicated).</summary>
    public int Shift { get; init; }

    /// <summary>Random zoom by up to this fraction either way.</summary>
    public double Zoom { get; init; }

    /// <summary>Hue rotation about the grey axis; strength: the largest angle as a fraction of 180° (0–1].</summary>
    public RandomAugmentation Hue { get; init; }

    /// <summary>A random non-identity permutation of the R, G, B channels; no strength.</summary>
    public RandomAugmentation Channels { get; init; }

    /// <summary>Saturation times a factor in [1 − S, 1 + S]; S in (0, 1].</summary>
    public RandomAugmentation Saturation { get; init; }

    /// <summary>Brightness times a factor in [1 − S, 1 + S]; S in (0, 1).</summary>
    public RandomAugmentation Brightness { get; init; }

    /// <summary>Contrast about the image's mean grey times a factor in [1 − S, 1 + S]; S in (0, 1].</summary>
    public RandomAugmentation Contrast { get; init; }

    /// <summary>Conversion to grey (ITU-R 601 luma, as Pillow's "L"); no strength.</summary>
    public RandomAugmentation Grayscale { get; init; }

    /// <summary>
    /// Line weight: dark strokes thickened (a minimum filter) or thinned (a maximum filter), either way with equal odds;
    /// strength: the largest filter radius in pixels (1–3).
    /// </summary>
    public RandomAugmentation LineWeight { get; init; }

    /// <summary>Detail lost by shrinking to a scale in [1 − S, 1) and enlarging back; S in (0, 0.9].</summary>
    public RandomAugmentation Downscale { get; init; }

    /// <summary>
    /// Blur or sharpen: the image moved towards (factor &lt; 1) or away from (factor &gt; 1) a 3×3 binomial blur of
    /// itself, factor in [1 − S, 1 + S]; S in (0, 1].
    /// </summary>
    public RandomAugmentation Sharpness { get; init; }

    /// <summary>Fewer colour levels: up to S (1–7) low bits of each 8-bit channel dropped.</summary>
    public RandomAugmentation Posterise { get; init; }

    public bool HasColour => Hue.IsOn || Channels.IsOn || Saturation.IsOn || Brightness.IsOn || Contrast.IsOn || Grayscale.IsOn;

    /// <summary>True when an augmentation beyond shift and zoom is on (they work on colour values, not model inputs).</summary>
    public bool HasPixelAugmentations => HasColour || LineWeight.IsOn || Downscale.IsOn || Sharpness.IsOn || Posterise.IsOn;

    public void Validate()
    {
        Require(Shift >= 0, "augment_shift", $"must not be negative (got {Shift})");
        Require(Zoom is >= 0 and < 0.5, "augment_zoom", $"must be in [0, 0.5) (got {Zoom})");
        Check("augment_hue", Hue, 0, 1, hasStrength: true);
        Check("augment_channels", Channels, 0, 0, hasStrength: false);
        Check("augment_saturation", Saturation, 0, 1, hasStrength: true);
        Check("augment_brightness", Brightness, 0, 0.99, hasStrength: true);
        Check("augment_contrast", Contrast, 0, 1, hasStrength: true);
        Check("augment_grayscale", Grayscale, 0, 0, hasStrength: false);
        Check("augment_line_weight", LineWeight, 1, 3, hasStrength: true, whole: true);
        Check("augment_downscale", Downscale, 0, 0.9, hasStrength: true);
        Check("augment_sharpness", Sharpness, 0, 1, hasStrength: true);
        Check("augment_posterise", Posterise, 1, 7, hasStrength: true, whole: true);
    }

    private static void Check(string setting, RandomAugmentation augmentation, double least, double most, bool hasStrength, bool whole = false)
    {
        Require(augmentation.Probability is >= 0 and <= 1, setting, $"probability must be in [0, 1] (got {augmentation.Probability})");
        if (!augmentation.IsOn)
        {
            return;
        }

        if (!hasStrength)
        {
            Require(augmentation.Strength == 0, setting, $"takes a probability only (got strength {augmentation.Strength})");
            return;
        }

        Require(augmentation.Strength > 0 && augmentation.Strength >= least && augmentation.Strength <= most, setting,
            $"strength must be in {(least > 0 ? "[" : "(")}{least}, {most}] (got {augmentation.Strength})");
        Require(!whole || augmentation.Strength == Math.Floor(augmentation.Strength), setting, $"strength must be a whole number (got {augmentation.Strength})");
    }

    private static void Require(bool condition, string setting, string message)
    {
        if (!condition)
        {
            throw new InvalidSettingException(setting, message);
        }
    }
}
