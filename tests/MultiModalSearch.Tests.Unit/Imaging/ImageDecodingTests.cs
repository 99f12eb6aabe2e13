using MultiModalSearch.Imaging;
using MultiModalSearch.Testing;
using NetVips;
using Xunit.Abstractions;
using static MultiModalSearch.Testing.ImagingTestSupport;

namespace MultiModalSearch.Tests.Imaging;

public sealed class ImageDecodingTests(ITestOutputHelper output) : IDisposable
{
    private static readonly int[] FrameDelays = [100, 100];
    private readonly TemporaryDirectory dir = new();
    private readonly ImagePreprocessor pre = CreatePreprocessor();

    public void Dispose() => dir.Dispose();

    private float[] PreprocessPng(Image image, string name)
    {
        string path = dir.File(name);
        image.WriteToFile(path);
        return pre.Preprocess(path);
    }

    [Theory]
    [MemberData(nameof(ImagingTestSupport.ExifOrientations), MemberType = typeof(ImagingTestSupport))]
    public void ExifOrientationIsAppliedForJpeg(int orientation)
    {
        using var pattern = Pattern(300, 200);
        using var tagged = WithOrientation(pattern, orientation);
        string path = dir.File($"o{orientation}.jpg");
        tagged.WriteToFile(path, new VOption { { "Q", 95 } });
        Assert.Equal(orientation, ImageInfo.Read(path).Orientation);

        // Reference: libvips' own autorot of the same decoded JPEG, stored losslessly.
        using var stored = Image.NewFromFile(path);
        using var upright = stored.Autorot();
        using var clean = upright.Mutate(m => m.Remove("orientation"));
        Assert.Equal(orientation >= 5 ? (200, 300) : (300, 200), (clean.Width, clean.Height));
        Assert.Equal(PreprocessPng(clean, $"o{orientation}-upright.png"), pre.Preprocess(path));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(8)]
    public void ExifOrientationIsAppliedForPng(int orientation)
    {
        using var pattern = Pattern(300, 200);
        using var tagged = WithOrientation(pattern, orientation);
        string path = dir.File($"o{orientation}.png");
        tagged.WriteToFile(path);
        int read = ImageInfo.Read(path).Orientation;
        output.WriteLine($"PNG orientation read back: {read}");
        using var upright = tagged.Autorot();
        using var clean = upright.Mutate(m => m.Remove("orientation"));
        float[] expected = PreprocessPng(clean, "upright.png");
        if (read == orientation)
            Assert.Equal(expected, pre.Preprocess(path));
        else
            Assert.Equal(1, read); // libvips wrote no eXIf chunk: nothing to apply
    }

    [Fact]
    public void SixteenBitRgbPngUsesHighByte()
    {
        using var hi = Pattern(260, 200);
        using var lo = (255 - hi).Cast(Enums.BandFormat.Uchar);
        using var wide = (hi.Cast(Enums.BandFormat.Ushort) * 256 + lo).Cast(Enums.BandFormat.Ushort);
        using var rgb16 = wide.Copy(interpretation: Enums.Interpretation.Rgb16);
        string path = dir.File("rgb16.png");
        rgb16.WriteToFile(path, new VOption { { "bitdepth", 16 } });
        using (var check = Image.NewFromFile(path))
            Assert.Equal(Enums.BandFormat.Ushort, check.Format);
        Assert.Equal(PreprocessPng(hi, "rgb8.png"), pre.Preprocess(path));
    }

    [Fact]
    public void SixteenBitGreyPngUsesHighByte()
    {
        using var pattern = Pattern(260, 200);
        using var hi = pattern[1];
        using var wide = (hi.Cast(Enums.BandFormat.Ushort) * 256 + 77).Cast(Enums.BandFormat.Ushort);
        using var grey16 = wide.Copy(interpretation: Enums.Interpretation.Grey16);
        string path = dir.File("grey16.png");
        grey16.WriteToFile(path, new VOption { { "bitdepth", 16 } });
        using var grey8 = hi.Copy(interpretation: Enums.Interpretation.Bw);
        Assert.Equal(PreprocessPng(grey8, "grey8.png"), pre.Preprocess(path));
    }

    [Fact]
    public void CmykJpegConvertsLikePillow()
    {
        using var rgb = Pattern(300, 200);
        using var inks = (255 - rgb).Cast(Enums.BandFormat.Uchar);
        using var withK = inks.Bandjoin(0);
        using var cmyk = withK.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Cmyk);
        string path = dir.File("cmyk.jpg");
        cmyk.WriteToFile(path, new VOption { { "Q", 100 }, { "subsample_mode", Enums.ForeignSubsample.Off } });
        Assert.Equal(4, ImageInfo.Read(path).Bands);

        float[] actual = pre.Preprocess(path);
        float[] expected = PreprocessPng(rgb, "cmyk-source.png");
        double max = MaxAbsDiff(actual, expected);
        double cos = Cosine(actual, expected);
        output.WriteLine($"CMYK JPEG vs RGB source: max abs {max:G4}, cosine {cos:F6}");
        Assert.True(cos > 0.999, $"cosine {cos}");
        Assert.True(max < 0.15, $"max abs {max}");
    }

    [Fact]
    public void AnimatedGifUsesFirstFrame()
    {
        using var red = Image.Black(224, 224, bands: 3) + new double[] { 255, 0, 0 };
        using var blueBlock = Image.Black(100, 60, bands: 3) + new double[] { 0, 0, 255 };
        using var first = red.Insert(blueBlock, 30, 40).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        using var second = (Image.Black(224, 224, bands: 3) + new double[] { 0, 255, 0 }).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        using var strip = Image.Arrayjoin([first, second], across: 1);
        using var animated = strip.Mutate(m =>
        {
            m.Set(GValue.GIntType, "page-height", 224);
            m.Set(GValue.GIntType, "n-pages", 2);
            m.Set(GValue.ArrayIntType, "delay", FrameDelays);
        });
        string path = dir.File("anim.gif");
        animated.WriteToFile(path);
        Assert.Equal(ImageFormat.Gif, ImageInfo.Read(path).Format);
        Assert.Equal(224, ImageInfo.Read(path).Height);

        Assert.Equal(PreprocessPng(first, "frame0.png"), pre.Preprocess(path));
    }

    [Fact]
    public void RgbaTransparentAreaBecomesBlackNotStoredColour()
    {
        using var magenta = Image.Black(150, 300, bands: 4) + new double[] { 255, 0, 255, 0 };
        using var opaque = Image.Black(150, 300, bands: 4) + new double[] { 0, 200, 60, 255 };
        using var joined = magenta.Join(opaque, Enums.Direction.Horizontal).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        float[] actual = PreprocessPng(joined, "rgba.png");
        var config = pre.Config;
        int plane = 224 * 224;
        float Expected(int c, int v) => (v / 255f - config.ImageMean[c]) / config.ImageStd[c];
        // 300x300 -> 224x224, no crop: left columns transparent, right opaque.
        int left = 20 * 224 + 10, right = 20 * 224 + 200;
        Assert.Equal(Expected(0, 0), actual[left]);
        Assert.Equal(Expected(1, 0), actual[plane + left]);
        Assert.Equal(Expected(2, 0), actual[2 * plane + left]);
        Assert.Equal(Expected(0, 0), actual[right]);
        Assert.Equal(Expected(1, 200), actual[plane + right]);
        Assert.Equal(Expected(2, 60), actual[2 * plane + right]);
        // Premultiplied resampling: the edge never shows the hidden magenta (red stays 0 everywhere).
        for (int i = 0; i < plane; i++)
            Assert.Equal(Expected(0, 0), actual[i]);
    }

    [Fact]
    public void GreyAlphaTransparentAreaBecomesBlack()
    {
        using var hidden = Image.Black(150, 300, bands: 2) + new double[] { 200, 0 };
        using var shown = Image.Black(150, 300, bands: 2) + new double[] { 100, 255 };
        using var joined = hidden.Join(shown, Enums.Direction.Horizontal).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Bw);
        float[] actual = PreprocessPng(joined, "la.png");
        var c = pre.Config;
        Assert.Equal((0f - c.ImageMean[1]) / c.ImageStd[1], actual[224 * 224 + 10]);
        Assert.Equal((100 / 255f - c.ImageMean[1]) / c.ImageStd[1], actual[224 * 224 + 200]);
    }

    [Fact]
    public void LosslessWebpTiffAndBmpMatchPng()
    {
        using var pattern = Pattern(333, 250);
        float[] png = PreprocessPng(pattern, "p.png");
        string webp = dir.File("p.webp");
        pattern.WriteToFile(webp, new VOption { { "lossless", true } });
        Assert.Equal(png, pre.Preprocess(webp));
        string tiff = dir.File("p.tif");
        pattern.WriteToFile(tiff);
        Assert.Equal(png, pre.Preprocess(tiff));
        string bmp = dir.File("p.bmp");
        File.WriteAllBytes(bmp, TestBmp.Encode24(pattern.WriteToMemory<byte>(), pattern.Width, pattern.Height));
        Assert.Equal(ImageFormat.Bmp, ImageInfo.Read(bmp).Format);
        Assert.Equal(png, pre.Preprocess(bmp));
    }

    [Fact]
    public void AvifDecodesLikeThePngItWasMadeFrom()
    {
        // The bundled libvips (NetVips.Native) encodes AVIF; were that ever lost, this fails rather than skipping.
        using var pattern = Pattern(320, 240);
        string avif = dir.File("p.avif");
        pattern.WriteToFile(avif, new VOption { { "Q", 90 } });
        var info = ImageInfo.Read(avif);
        Assert.Equal(ImageFormat.Avif, info.Format);
        double cos = Cosine(pre.Preprocess(avif), PreprocessPng(pattern, "p.png"));
        output.WriteLine($"AVIF Q90 vs PNG cosine {cos:F6}");
        Assert.True(cos > 0.99);
    }

    [Fact]
    public void ShrinkOnLoadStaysCloseToExactDecode()
    {
        using var big = Pattern(2400, 1800);
        string path = dir.File("big.jpg");
        big.WriteToFile(path, new VOption { { "Q", 90 } });
        float[] fast = pre.Preprocess(path);
        float[] exact = new ImagePreprocessor(pre.Config, new ImageDecodeOptions { ExactDecode = true }).Preprocess(path);
        double max = MaxAbsDiff(fast, exact);
        double cos = Cosine(fast, exact);
        output.WriteLine($"2400x1800 JPEG shrink 4 vs exact: max abs {max:G4}, cosine {cos:F6}");
        Assert.NotEqual(exact, fast); // the shrink path was taken
        Assert.True(cos > 0.999, $"cosine {cos}");
    }

    [Fact]
    public void ImageInfoReadsHeaderFacts()
    {
        var info = ImageInfo.Read(Path.Combine(FixtureDir, "images", "gray_640x480.jpg"));
        Assert.Equal((640, 480, ImageFormat.Jpeg, "image/jpeg", 1, 1), (info.Width, info.Height, info.Format, info.MediaType, info.Orientation, info.Bands));
        var png = ImageInfo.Read(File.ReadAllBytes(Path.Combine(FixtureDir, "images", "rgba_alpha_200x300.png")));
        Assert.Equal((200, 300, ImageFormat.Png, true), (png.Width, png.Height, png.Format, png.HasAlpha));
    }
}
