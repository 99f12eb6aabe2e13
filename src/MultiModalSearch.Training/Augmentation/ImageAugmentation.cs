using MultiModalSearch.Training.Inputs;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training.Augmentation;

/// <summary>
/// Cheap tensor-level augmentation of a batch of preprocessed training images, so that a small model learns what an
/// emoji depicts rather than how one artist draws it: geometry first (on model inputs), then, on [0, 1] colour values,
/// line weight, downscaling, blur/sharpen, colour and posterisation. All draws come from the trainer's own generator
/// (saved in checkpoints), never the global one, and an augmentation that is off draws nothing: a run with only
/// shift and zoom is the same as before these augmentations existed.
/// </summary>
internal static class ImageAugmentation
{
    public static Tensor Apply(Tensor images, ImageAugmentationOptions options, PixelNormalization normalization, Generator generator)
    {
        using var scope = torch.NewDisposeScope();
        var result = GeometricAugmentation.Apply(images, options.Shift, options.Zoom, generator);
        if (!options.HasPixelAugmentations)
        {
            return result.MoveToOuterDisposeScope();
        }

        var unit = normalization.ToUnit(result).clamp_(0, 1);
        if (options.LineWeight.IsOn)
        {
            unit = LineWeightAugmentation.Apply(unit, options.LineWeight, generator);
        }

        if (options.Downscale.IsOn)
        {
            unit = DetailAugmentation.Downscale(unit, options.Downscale, generator);
        }

        if (options.Sharpness.IsOn)
        {
            unit = DetailAugmentation.Sharpness(unit, options.Sharpness, generator);
        }

        if (options.HasColour)
        {
            unit = ColourAugmentation.Apply(unit, options, generator);
        }

        if (options.Posterise.IsOn)
        {
            unit = DetailAugmentation.Posterise(unit, options.Posterise, generator);
        }

        return normalization.FromUnit(unit).MoveToOuterDisposeScope();
    }
}
