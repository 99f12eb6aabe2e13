namespace MultiModalSearch.Imaging;

/// <summary>
/// Pillow's resampling kernels (libImaging/Resample.c), selected by the filter id stored in
/// preprocessor_config.json's "resample". Kept bit-compatible: same formulas, same supports,
/// evaluated in double as Pillow does.
/// </summary>
internal static class PillowFilter
{
    public const int Nearest = 0;
    public const int Lanczos = 1;
    public const int Bilinear = 2;
    public const int Bicubic = 3;
    public const int Box = 4;
    public const int Hamming = 5;

    public static double Support(int filter) => filter switch
    {
        Box => 0.5,
        Bilinear or Hamming => 1.0,
        Bicubic => 2.0,
        Lanczos => 3.0,
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "not a convolution filter"),
    };

    public static double Evaluate(int filter, double x) => filter switch
    {
        Box => x > -0.5 && x <= 0.5 ? 1.0 : 0.0,
        Bilinear => Triangle(x),
        Hamming => HammingWindow(x),
        Bicubic => Cubic(x),
        Lanczos => x > -3.0 && x < 3.0 ? Sinc(x) * Sinc(x / 3.0) : 0.0,
        _ => 0.0,
    };

    private static double Triangle(double x)
    {
        x = Math.Abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    }

    // Keys cubic with a = -0.5 (Pillow's choice; libvips and OpenCV use other a or no antialias).
    private static double Cubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1.0)
            return (((a + 2.0) * x) - (a + 3.0)) * x * x + 1;
        if (x < 2.0)
            return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    }

    private static double HammingWindow(double x)
    {
        x = Math.Abs(x);
        if (x == 0.0)
            return 1.0;
        if (x >= 1.0)
            return 0.0;
        x *= Math.PI;
        return Math.Sin(x) / x * (0.54 + 0.46 * Math.Cos(x));
    }

    private static double Sinc(double x)
    {
        if (x == 0.0)
            return 1.0;
        x *= Math.PI;
        return Math.Sin(x) / x;
    }
}
