using MultiModalSearch.Testing;
using MultiModalSearch.Training.Loss;
using TorchSharp;

namespace MultiModalSearch.Tests.Training;

public sealed class ClipContrastiveLossTests
{
    [Fact]
    public void MatchesAHandComputedTwoByTwoExample()
    {
        // Images e1, e2; texts e1 and (e1+e2)/sqrt2; temperature exp(0) = 1. Cosines: [[1, s], [0, s]] with s = 1/sqrt2.
        using var images = torch.tensor(new float[] { 2, 0, 0, 3 }, [2, 2]);
        using var texts = torch.tensor(new float[] { 5, 0, 1, 1 }, [2, 2]);
        using var logitScale = torch.tensor(0f);
        var s = 1 / Math.Sqrt(2);
        var imageToText = (-Math.Log(Math.E / (Math.E + Math.Exp(s))) - Math.Log(Math.Exp(s) / (1 + Math.Exp(s)))) / 2;
        var textToImage = (-Math.Log(Math.E / (Math.E + 1)) + Math.Log(2)) / 2;
        var expected = (imageToText + textToImage) / 2;

        using var loss = ClipContrastiveLoss.Compute(images, texts, logitScale);

        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Fact]
    public void ScalesLogitsByTheExponentOfTheLogitScale()
    {
        // Perfectly separated pairs at temperature 10: each direction is -log(e^10 / (e^10 + 1)).
        using var eye = torch.eye(2);
        using var logitScale = torch.tensor((float)Math.Log(10));
        using var loss = ClipContrastiveLoss.Compute(eye, eye, logitScale);
        Assert.Equal(Math.Log(1 + Math.Exp(-10)), loss.item<float>(), 6);
        Assert.Equal(Math.Log(100), ClipContrastiveLoss.MaxLogitScale, 12);
    }
}
