using MultiModalSearch.Imaging;
using NetVips;

namespace MultiModalSearch.Testing;

public static class ImagingTestSupport
{
    public static string FixtureDir => Path.Combine(AppContext.BaseDirectory, "fixtures", "clip-tiny");

    public static ImagePreprocessor CreatePreprocessor(ImageDecodeOptions? options = null) =>
        ImagePreprocessor.FromModelDirectory(FixtureDir, options);

    /// <summary>The eight EXIF orientations, for theories that must hold for each.</summary>
    public static TheoryData<int> ExifOrientations => new() { 1, 2, 3, 4, 5, 6, 7, 8 };

    /// <summary>The image tagged with an EXIF orientation, which savers write into the file.</summary>
    public static Image WithOrientation(Image image, int orientation) =>
        image.Mutate(m => m.Set(GValue.GIntType, "orientation", orientation));

    /// <summary>An asymmetric RGB test pattern: gradients plus a marker block near the top-left corner.</summary>
    public static Image Pattern(int width, int height)
    {
        using var xy = Image.Xyz(width, height);
        using var x = xy[0];
        using var y = xy[1];
        using var r = (x * (255.0 / width)).Cast(Enums.BandFormat.Uchar);
        using var g = (y * (255.0 / height)).Cast(Enums.BandFormat.Uchar);
        using var b = ((x + y * 2) % 256).Cast(Enums.BandFormat.Uchar);
        using var rgb = r.Bandjoin(g, b);
        using var marker = Image.Black(width / 5, height / 7, bands: 3) + new double[] { 250, 10, 40 };
        using var marker8 = marker.Cast(Enums.BandFormat.Uchar);
        return rgb.Insert(marker8, width / 10, height / 12).Copy(interpretation: Enums.Interpretation.Srgb);
    }

    public static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (int i = 0; i < a.Length; i++)
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return dot / Math.Sqrt(na * nb);
    }
}
