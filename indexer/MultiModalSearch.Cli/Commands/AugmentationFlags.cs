using System.CommandLine;
using MultiModalSearch.Training.Augmentation;

namespace MultiModalSearch.Cli.Commands;

/// <summary>The --augment-* flags shared by <c>mms train</c> and <c>mms train-llava</c>, read into <see cref="ImageAugmentationOptions"/>.</summary>
internal sealed class AugmentationFlags
{
    private readonly Option<int> shift = new("--augment-shift") { Description = "Random image translation of up to N pixels", DefaultValueFactory = _ => 0 };
    private readonly Option<double> zoom = new("--augment-zoom") { Description = "Random image zoom by up to this fraction either way (e.g. 0.15)", DefaultValueFactory = _ => 0 };
    private readonly Option<RandomAugmentation> hue = Augmentation("--augment-hue", "P:S", "hue rotation by up to S x 180 degrees (S in (0, 1])");
    private readonly Option<RandomAugmentation> channels = Augmentation("--augment-channels", "P", "a random permutation of the R, G, B channels");
    private readonly Option<RandomAugmentation> saturation = Augmentation("--augment-saturation", "P:S", "saturation times a factor in [1-S, 1+S]");
    private readonly Option<RandomAugmentation> brightness = Augmentation("--augment-brightness", "P:S", "brightness times a factor in [1-S, 1+S]");
    private readonly Option<RandomAugmentation> contrast = Augmentation("--augment-contrast", "P:S", "contrast times a factor in [1-S, 1+S]");
    private readonly Option<RandomAugmentation> grayscale = Augmentation("--augment-grayscale", "P", "conversion to grey");
    private readonly Option<RandomAugmentation> lineWeight = Augmentation("--augment-line-weight", "P:S", "dark strokes thickened or thinned by a min/max filter of radius up to S px (1-3)");
    private readonly Option<RandomAugmentation> downscale = Augmentation("--augment-downscale", "P:S", "detail lost by shrinking to a scale in [1-S, 1) and back (S up to 0.9)");
    private readonly Option<RandomAugmentation> sharpness = Augmentation("--augment-sharpness", "P:S", "blur or sharpen: a factor in [1-S, 1+S] against a 3x3 blur (0 = blurred)");
    private readonly Option<RandomAugmentation> posterise = Augmentation("--augment-posterise", "P:S", "up to S (1-7) low bits of each colour channel dropped");

    public IEnumerable<Option> All =>
        [shift, zoom, hue, channels, saturation, brightness, contrast, grayscale, lineWeight, downscale, sharpness, posterise];

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }
    }

    public ImageAugmentationOptions Read(ParseResult parse) => new()
    {
        Shift = parse.GetValue(shift),
        Zoom = parse.GetValue(zoom),
        Hue = parse.GetValue(hue),
        Channels = parse.GetValue(channels),
        Saturation = parse.GetValue(saturation),
        Brightness = parse.GetValue(brightness),
        Contrast = parse.GetValue(contrast),
        Grayscale = parse.GetValue(grayscale),
        LineWeight = parse.GetValue(lineWeight),
        Downscale = parse.GetValue(downscale),
        Sharpness = parse.GetValue(sharpness),
        Posterise = parse.GetValue(posterise),
    };

    /// <summary>An augmentation flag: PROBABILITY or PROBABILITY:STRENGTH, off when absent.</summary>
    private static Option<RandomAugmentation> Augmentation(string name, string format, string what) => new(name)
    {
        Description = $"With probability P per image: {what}",
        HelpName = format,
        CustomParser = result =>
        {
            try
            {
                return RandomAugmentation.Parse(result.Tokens.Single().Value);
            }
            catch (FormatException e)
            {
                result.AddError($"{name}: {e.Message}");
                return RandomAugmentation.Off;
            }
        },
    };
}
