using NetVips;

namespace MultiModalSearch.Tests.Imaging;

/// <summary>The indexer's single-decode path: the same pixels as Preprocess, plus a preview from the same decode.</summary>
public sealed class PreprocessWithThumbnailTests
{
    [Theory]
    [InlineData("gradient_300x200.png")]
    [InlineData("gray_640x480.jpg")]
    [InlineData("palette_257x257.png")]
    [InlineData("rgba_alpha_200x300.png")]
    public void PixelsEqualPreprocessAndThumbnailIsWebpWithinTheBox(string file)
    {
        var preprocessor = ImagingTestSupport.CreatePreprocessor();
        var bytes = File.ReadAllBytes(Path.Combine(ImagingTestSupport.FixtureDir, "images", file));
        var expected = preprocessor.Preprocess(bytes, file);
        var actual = new float[preprocessor.OutputLength];

        var thumbnail = preprocessor.PreprocessWithThumbnail(bytes, actual, file, 128);

        Assert.Equal(expected, actual);
        Assert.NotNull(thumbnail);
        using var preview = Image.NewFromBuffer(thumbnail);
        Assert.Equal("webpload_buffer", preview.Get("vips-loader"));
        Assert.Equal(128, Math.Max(preview.Width, preview.Height));
        using var source = Image.NewFromBuffer(bytes);
        Assert.Equal(source.Width > source.Height, preview.Width > preview.Height);
        Assert.Equal(source.HasAlpha(), preview.HasAlpha());
    }

    [Fact]
    public void OrientationIsAppliedToTheThumbnail()
    {
        using var landscape = ImagingTestSupport.Pattern(300, 200);
        using var tagged = landscape.Mutate(m => m.Set(GValue.GIntType, "orientation", 6)); // rotate 90: upright is portrait
        var bytes = tagged.JpegsaveBuffer(q: 95);
        var preprocessor = ImagingTestSupport.CreatePreprocessor();

        var thumbnail = preprocessor.PreprocessWithThumbnail(bytes, new float[preprocessor.OutputLength], "rotated.jpg", 64);

        using var preview = Image.NewFromBuffer(thumbnail!);
        Assert.True(preview.Height > preview.Width, $"{preview.Width}x{preview.Height}");
    }
}
