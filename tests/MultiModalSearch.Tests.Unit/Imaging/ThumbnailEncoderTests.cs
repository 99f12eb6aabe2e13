using MultiModalSearch.Imaging;
using MultiModalSearch.Testing;
using NetVips;

namespace MultiModalSearch.Tests.Imaging;

public sealed class ThumbnailEncoderTests
{
    private static Image Decode(byte[] webp)
    {
        Assert.True(webp.Length > 12, "too short");
        Assert.Equal("RIFF"u8.ToArray(), webp[..4]);
        Assert.Equal("WEBP"u8.ToArray(), webp[8..12]);
        return Image.NewFromBuffer(webp);
    }

    [Fact]
    public void LandscapeJpegFitsInBox()
    {
        using var big = ImagingTestSupport.Pattern(1200, 800);
        byte[] webp = Thumbnails().Encode(big.JpegsaveBuffer(), "big.jpg");
        using var thumb = Decode(webp);
        Assert.Equal((256, 171), (thumb.Width, thumb.Height));
        Assert.False(thumb.Contains("exif-data"));
    }

    [Fact]
    public void CustomSizeAndNoUpscale()
    {
        using var small = ImagingTestSupport.Pattern(100, 60);
        using var a = Decode(Thumbnails().Encode(small.JpegsaveBuffer(), "small.jpg"));
        Assert.Equal((100, 60), (a.Width, a.Height));
        using var big = ImagingTestSupport.Pattern(600, 900);
        using var b = Decode(Thumbnails(64).Encode(big.PngsaveBuffer(), "tall.png"));
        Assert.Equal((43, 64), (b.Width, b.Height));
    }

    [Fact]
    public void LosslessWithAlphaKeepsTheColoursUnderTransparentPixelsThatLossyWebpRewrites()
    {
        // A real emoji: about 2,400 of its 4,096 pixels are transparent, over colours a model that drops alpha sees.
        var png = File.ReadAllBytes(Path.Combine(RepositoryPaths.IllustratedSample, "images", "teapot.png"));
        using var original = Image.NewFromBuffer(png);
        var settings = new ThumbnailSettings { Size = 1024 };

        using var lossless = Decode(new ThumbnailEncoder(settings with { LosslessWithAlpha = true }, ImageDecodeOptions.Default).Encode(png, "teapot.png"));
        using var lossy = Decode(new ThumbnailEncoder(settings, ImageDecodeOptions.Default).Encode(png, "teapot.png"));

        Assert.Equal(4, lossless.Bands);
        Assert.Equal(original.WriteToMemory(), lossless.WriteToMemory());
        using var hiddenLossy = lossy.ExtractBand(0, n: 3);
        using var hiddenOriginal = original.ExtractBand(0, n: 3);
        using var difference = (hiddenLossy - hiddenOriginal).Abs();
        Assert.True(difference.Max() > 32, $"lossy WebP kept the hidden colours (max difference {difference.Max()}): the option would not be needed");
    }

    [Fact]
    public void ExifOrientationIsApplied()
    {
        // Stored landscape, orientation 6: shown (and thumbnailed) as portrait.
        byte[] jpeg = TestJpeg.WithSegments(TestJpeg.Plain(600, 400), new TestExif().Orientation(6).App1());
        using var thumb = Decode(Thumbnails().Encode(jpeg, "rot.jpg"));
        Assert.Equal((171, 256), (thumb.Width, thumb.Height));
    }

    [Fact]
    public void PortraitStaysPortrait()
    {
        using var portrait = ImagingTestSupport.Pattern(300, 500);
        using var thumb = Decode(Thumbnails().Encode(portrait.JpegsaveBuffer(), "p.jpg"));
        Assert.True(thumb.Height == 256 && thumb.Width < thumb.Height);
    }

    [Fact]
    public void AlphaIsKept()
    {
        using var rgb = ImagingTestSupport.Pattern(400, 400);
        using var xy = Image.Xyz(400, 400);
        using var alpha = (xy[0] < 200).Ifthenelse(255, 0).Cast(Enums.BandFormat.Uchar);
        using var rgba = rgb.Bandjoin(alpha);
        using var thumb = Decode(Thumbnails().Encode(rgba.PngsaveBuffer(), "a.png"));
        Assert.Equal(4, thumb.Bands);
        Assert.True(thumb.HasAlpha());
        Assert.Equal(255, thumb.Getpoint(10, 128)[3], 0);
        Assert.Equal(0, thumb.Getpoint(245, 128)[3], 0);
    }

    [Fact]
    public void BmpIsSupported()
    {
        byte[] rgb = new byte[300 * 200 * 3];
        new Random(3).NextBytes(rgb);
        using var thumb = Decode(Thumbnails().Encode(TestBmp.Encode24(rgb, 300, 200), "x.bmp"));
        Assert.Equal((256, 171), (thumb.Width, thumb.Height));
    }

    [Fact]
    public void NonImageThrowsImageDecodeException()
    {
        Assert.Throws<ImageDecodeException>(() => Thumbnails().Encode("not an image at all"u8, "x.jpg"));
        Assert.Throws<ImageDecodeException>(() => Thumbnails().Encode([], "x.jpg"));
        byte[] jpeg = TestJpeg.Plain(400, 300);
        Assert.Throws<ImageDecodeException>(() => Thumbnails().Encode(jpeg.AsSpan(0, jpeg.Length / 2), "cut.jpg"));
    }

    [Fact]
    public void TheConfiguredPixelLimitIsHonoured()
    {
        using var image = Image.Black(400, 300, bands: 3);
        var png = image.PngsaveBuffer();
        var strict = new ThumbnailEncoder(ThumbnailSettings.Default, ImageDecodeOptions.Default with { MaxPixels = 100_000 });

        var error = Assert.Throws<ImageDecodeException>(() => strict.Encode(png, "big.png"));

        Assert.Contains("120000 pixels", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(Thumbnails().Encode(png, "big.png"));
    }

    private static ThumbnailEncoder Thumbnails(int size = 256) => new(new ThumbnailSettings { Size = size }, ImageDecodeOptions.Default);
}
