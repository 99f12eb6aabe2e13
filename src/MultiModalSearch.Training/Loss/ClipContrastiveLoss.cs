using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training.Loss;

/// <summary>
/// CLIP's symmetric InfoNCE loss: the i-th image and i-th text of a batch are the positives, all other pairs negatives;
/// the mean of image-to-text and text-to-image cross-entropy over the exp(logit_scale)-scaled cosine matrix.
/// </summary>
public static class ClipContrastiveLoss
{
    /// <summary>The CLIP paper clips the temperature so logits are never scaled by more than 100.</summary>
    public static double MaxLogitScale { get; } = Math.Log(100);

    /// <summary>Loss from raw (unnormalised) features. Computed in float32 whatever the features' dtype.</summary>
    public static Tensor Compute(Tensor imageFeatures, Tensor textFeatures, Tensor logitScale)
    {
        using var scope = NewDisposeScope();
        var images = nn.functional.normalize(imageFeatures.to(ScalarType.Float32), dim: -1);
        var texts = nn.functional.normalize(textFeatures.to(ScalarType.Float32), dim: -1);
        var logitsPerImage = images.matmul(texts.t()) * logitScale.to(ScalarType.Float32).exp();
        return FromLogits(logitsPerImage).MoveToOuterDisposeScope();
    }

    /// <summary>Loss from the [n, n] image-by-text logits whose diagonal holds the positives.</summary>
    public static Tensor FromLogits(Tensor logitsPerImage)
    {
        using var scope = NewDisposeScope();
        var labels = torch.arange(logitsPerImage.shape[0], dtype: ScalarType.Int64, device: logitsPerImage.device);
        var imageToText = nn.functional.cross_entropy(logitsPerImage, labels);
        var textToImage = nn.functional.cross_entropy(logitsPerImage.t(), labels);
        return ((imageToText + textToImage) / 2).MoveToOuterDisposeScope();
    }
}
