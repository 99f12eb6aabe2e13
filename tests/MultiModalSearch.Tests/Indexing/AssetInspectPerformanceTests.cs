using System.Diagnostics;
using MultiModalSearch.Indexing;
using MultiModalSearch.Tests.Imaging;
using NetVips;
using Xunit.Abstractions;

namespace MultiModalSearch.Tests.Indexing;

/// <summary>
/// Opt-in timing (MMS_IMAGING_PERF=1; Release build for meaningful numbers): single-thread
/// Inspect and Thumbnail cost for a 12-megapixel camera JPEG built from a real photo.
/// </summary>
public sealed class AssetInspectPerformanceTests(ITestOutputHelper output)
{
    private const string Photo = "/usr/share/backgrounds/mate/abstract/Elephants_5640x3172.jpg";

    [Fact]
    public void TwelveMegapixelJpegTiming()
    {
        if (Environment.GetEnvironmentVariable("MMS_IMAGING_PERF") != "1")
            return;
        byte[] jpeg = TwelveMegapixelJpeg();
        output.WriteLine($"source: {(File.Exists(Photo) ? Photo : "synthetic pattern")} -> 4000x3000 Q90 + EXIF/XMP, {jpeg.Length / 1024} KiB");

        double inspect = Time(() => AssetInspector.Inspect(jpeg, "12mp.jpg"));
        double thumb = Time(() => AssetInspector.Thumbnail(jpeg, "12mp.jpg"));
        double sidecars = Time(() => AssetInspector.SidecarTexts("/tmp/none/12mp.jpg"));
        output.WriteLine($"Inspect:      {inspect:F2} ms/image");
        output.WriteLine($"Thumbnail:    {thumb:F2} ms/image ({AssetInspector.Thumbnail(jpeg, "12mp.jpg").Length} bytes WebP)");
        output.WriteLine($"SidecarTexts: {sidecars:F3} ms/image (no sidecars present)");
    }

    private static byte[] TwelveMegapixelJpeg()
    {
        using var source = File.Exists(Photo) ? Image.NewFromFile(Photo) : ImagingTestSupport.Pattern(1000, 750);
        using var big = source.ThumbnailImage(4000, height: 3000, size: Enums.Size.Force);
        string xmp = TestJpeg.Xmp("Elephants at the waterhole", "Elephants", "elephant", "africa");
        using var tagged = big.Mutate(m => m.Set(GValue.BlobType, "xmp-data", System.Text.Encoding.UTF8.GetBytes(xmp)));
        byte[] jpeg = tagged.JpegsaveBuffer(q: 90);
        var exif = new TestExif().Make("Canon").Model("Canon EOS R5").DateTimeOriginal("2023:03:04 05:06:07")
            .Orientation(1).Gps("S", (2, 20, 0), "E", (34, 50, 0));
        return TestJpeg.WithSegments(jpeg, exif.App1());
    }

    private static double Time(Action run)
    {
        for (int i = 0; i < 3; i++)
            run();
        const int runs = 10;
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < runs; i++)
            run();
        return sw.Elapsed.TotalMilliseconds / runs;
    }
}
