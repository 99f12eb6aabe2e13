using MultiModalSearch.Imaging;
using MultiModalSearch.Testing;
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

        var thumbnail = preprocessor.PreprocessWithThumbnail(bytes, actual, file, Thumbnails(128));

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
        using var tagged = ImagingTestSupport.WithOrientation(landscape, 6); // rotate 90: upright is portrait
        var bytes = tagged.JpegsaveBuffer(q: 95);
        var preprocessor = ImagingTestSupport.CreatePreprocessor();

        var thumbnail = preprocessor.PreprocessWithThumbnail(bytes, new float[preprocessor.OutputLength], "rotated.jpg", Thumbnails(64));

        using var preview = Image.NewFromBuffer(thumbnail!);
        Assert.True(preview.Height > preview.Width, $"{preview.Width}x{preview.Height}");
    }

    [Fact]
    public void ABmpDecodedWithoutLibvipsGetsAPreviewOfItsPixels()
    {
        using var pattern = ImagingTestSupport.Pattern(300, 200);
        var bytes = TestBmp.Encode24(pattern.WriteToMemory<byte>(), pattern.Width, pattern.Height);
        var preprocessor = ImagingTestSupport.CreatePreprocessor();
        var expected = preprocessor.Preprocess(bytes, "pattern.bmp");
        var actual = new float[preprocessor.OutputLength];

        var thumbnail = preprocessor.PreprocessWithThumbnail(bytes, actual, "pattern.bmp", Thumbnails(64));

        Assert.Equal(expected, actual);
        using var preview = Image.NewFromBuffer(thumbnail!);
        using var reference = pattern.ThumbnailImage(64, height: 64);
        Assert.Equal((reference.Width, reference.Height), (preview.Width, preview.Height));
        Assert.True(MeanAbsDifference(preview, reference) < 10, $"mean abs difference {MeanAbsDifference(preview, reference):F2}");
    }

    [Theory]
    [MemberData(nameof(ImagingTestSupport.ExifOrientations), MemberType = typeof(ImagingTestSupport))]
    public void EveryOrientationGivesTheSamePreviewAsLibvipsAutorotation(int orientation)
    {
        using var stored = ImagingTestSupport.Pattern(300, 200);
        using var tagged = ImagingTestSupport.WithOrientation(stored, orientation);
        var bytes = tagged.JpegsaveBuffer(q: 100);
        var preprocessor = ImagingTestSupport.CreatePreprocessor();

        var thumbnail = preprocessor.PreprocessWithThumbnail(bytes, new float[preprocessor.OutputLength], $"o{orientation}.jpg", Thumbnails(64));

        using var decoded = Image.NewFromBuffer(bytes);
        using var upright = decoded.Autorot();
        using var expected = upright.ThumbnailImage(64, height: 64);
        using var actual = Image.NewFromBuffer(thumbnail!);
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        var right = MeanAbsDifference(actual, expected);
        // WebP at quality 75 loses a few levels on the pattern's sharp edges; a wrong flip or rotation moves the marker
        // and the gradients, and costs many times that.
        using var mirrored = expected.FlipHor();
        using var upsideDown = expected.FlipVer();
        var wrong = Math.Min(MeanAbsDifference(actual, mirrored), MeanAbsDifference(actual, upsideDown));
        Assert.True(right < 10 && wrong > 3 * right, $"orientation {orientation}: mean abs difference {right:F2}, mirrored {wrong:F2}");
    }

    [Fact]
    public void ACmykJpegGetsAnSrgbPreviewWithItsColours()
    {
        using var rgb = ImagingTestSupport.Pattern(300, 200);
        using var inks = (255 - rgb).Cast(Enums.BandFormat.Uchar);
        using var withK = inks.Bandjoin(0);
        using var cmyk = withK.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Cmyk);
        var bytes = cmyk.JpegsaveBuffer(q: 100, subsampleMode: Enums.ForeignSubsample.Off);
        var preprocessor = ImagingTestSupport.CreatePreprocessor();

        var thumbnail = preprocessor.PreprocessWithThumbnail(bytes, new float[preprocessor.OutputLength], "cmyk.jpg", Thumbnails(64));

        Assert.NotNull(thumbnail);
        using var preview = Image.NewFromBuffer(thumbnail);
        Assert.Equal(3, preview.Bands);
        using var expected = rgb.ThumbnailImage(64, height: 64);
        var difference = MeanAbsDifference(preview, expected);
        // libvips converts through a real CMYK profile, not the naive inversion the file was made with, so colours
        // shift; a preview left in CMYK or inverted would be off by far more.
        using var inverted = (255 - expected).Cast(Enums.BandFormat.Uchar);
        var wrong = MeanAbsDifference(preview, inverted);
        Assert.True(difference < 40 && wrong > 2 * difference, $"mean abs difference {difference:F2}, inverted {wrong:F2}");
    }

    private static double MeanAbsDifference(Image a, Image b)
    {
        using var difference = (a - b).Abs();
        return difference.Avg();
    }

    private static ThumbnailEncoder Thumbnails(int size) => new(new ThumbnailSettings { Size = size }, ImageDecodeOptions.Default);
}
