using System.Diagnostics;
using MultiModalSearch.Imaging;
using NetVips;
using Xunit.Abstractions;
using static MultiModalSearch.Tests.Imaging.ImagingTestSupport;

namespace MultiModalSearch.Tests.Imaging;

/// <summary>
/// Opt-in timing (set MMS_IMAGING_PERF=1; build Release for meaningful numbers): single-thread
/// time per 12-megapixel JPEG with and without shrink-on-load, and the accuracy cost of shrinking.
/// Uses a real photo from Debian's mate-backgrounds when installed, upscaled to 4000x3000.
/// </summary>
public sealed class ImagingPerformanceTests(ITestOutputHelper output)
{
    private const string Photo = "/usr/share/backgrounds/mate/nature/Blinds.jpg";

    [Fact]
    public void TwelveMegapixelJpegTiming()
    {
        if (Environment.GetEnvironmentVariable("MMS_IMAGING_PERF") != "1")
            return;
        using var dir = new TempDir();
        string path = dir.File("12mp.jpg");
        using (var source = File.Exists(Photo) ? Image.NewFromFile(Photo) : Pattern(1000, 750))
        using (var big = source.ThumbnailImage(4000, height: 3000, size: Enums.Size.Force))
            big.WriteToFile(path, new VOption { { "Q", 90 } });

        var exact = CreatePreprocessor(new ImageDecodeOptions { ExactDecode = true });
        var fast = CreatePreprocessor();
        var buffer = new float[exact.OutputLength];
        output.WriteLine($"source: {(File.Exists(Photo) ? Photo : "synthetic pattern")} -> 4000x3000 Q90, {new FileInfo(path).Length / 1024} KiB");
        output.WriteLine($"exact decode:   {Time(exact, path, buffer):F1} ms/image");
        output.WriteLine($"shrink-on-load: {Time(fast, path, buffer):F1} ms/image");
        float[] a = exact.Preprocess(path);
        float[] b = fast.Preprocess(path);
        output.WriteLine($"shrink vs exact: max abs {MaxAbsDiff(a, b):G4}, cosine {Cosine(a, b):F6}");

        foreach (string photo in Directory.Exists("/usr/share/backgrounds/mate") ? Directory.GetFiles("/usr/share/backgrounds/mate", "*.jpg", SearchOption.AllDirectories) : [])
        {
            using var src = Image.NewFromFile(photo);
            string up = dir.File("up.jpg");
            // Re-encode at 2x so every photo is large enough for shrink 2 or 4 to be chosen.
            using (var scaled = src.Resize(2.0, kernel: Enums.Kernel.Lanczos3))
                scaled.WriteToFile(up, new VOption { { "Q", 90 } });
            float[] e = exact.Preprocess(up);
            float[] f = fast.Preprocess(up);
            output.WriteLine($"{Path.GetFileName(photo)} ({src.Width * 2}x{src.Height * 2}): max abs {MaxAbsDiff(e, f):G4}, cosine {Cosine(e, f):F6}");
        }
    }

    private static double Time(ImagePreprocessor pre, string path, float[] buffer)
    {
        for (int i = 0; i < 2; i++)
            pre.Preprocess(path, buffer);
        const int runs = 8;
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < runs; i++)
            pre.Preprocess(path, buffer);
        return sw.Elapsed.TotalMilliseconds / runs;
    }
}
