using MultiModalSearch.Testing;
using MultiModalSearch.Training;
using TorchSharp;

namespace MultiModalSearch.Tests.Training;

public sealed class ImageAugmentationTests
{
    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(2, 0.0)]
    [InlineData(2, 0.2)]
    public void KeepsTheShapeAndRepeatsForTheSameSeed(int shift, double zoom)
    {
        using var images = torch.arange(2 * 3 * 8 * 8, dtype: torch.ScalarType.Float32).reshape(2, 3, 8, 8);
        using var first = new torch.Generator(5);
        using var second = new torch.Generator(5);

        using var a = ImageAugmentation.Apply(images, shift, zoom, first);
        using var b = ImageAugmentation.Apply(images, shift, zoom, second);

        Assert.Equal(images.shape, a.shape);
        Assert.True(a.equal(b).all().item<bool>());
        if (shift == 0 && zoom == 0)
        {
            Assert.True(a.equal(images).all().item<bool>());
        }
    }
}
