namespace MultiModalSearch.Imaging;

/// <summary>
/// Re-arranges pixels for the 8 EXIF orientations. Done here rather than with vips_autorot
/// because the loaders run in sequential mode (one pass, low memory) and rotating by 90 degrees
/// needs random access; on the decoded buffer it is one cheap copy.
/// </summary>
internal static unsafe class ExifOrientation
{
    /// <summary>
    /// Writes the upright image. For orientation o, the upright pixel (x, y) comes from the stored
    /// image at the position below (EXIF 2.3, table for tag 0x0112: 2 mirror, 3 rotate 180,
    /// 4 flip, 5 transpose, 6 rotate 90 CW, 7 transverse, 8 rotate 270 CW).
    /// </summary>
    public static void Apply(byte* src, int width, int height, int bands, int orientation, byte* dst)
    {
        bool swap = orientation >= 5;
        int outW = swap ? height : width;
        int outH = swap ? width : height;
        for (int y = 0; y < outH; y++)
        {
            byte* d = dst + (long)y * outW * bands;
            for (int x = 0; x < outW; x++)
            {
                (int sx, int sy) = SourceOf(x, y, width, height, orientation);
                byte* s = src + ((long)sy * width + sx) * bands;
                for (int b = 0; b < bands; b++)
                    d[b] = s[b];
                d += bands;
            }
        }
    }

    private static (int X, int Y) SourceOf(int x, int y, int w, int h, int orientation) => orientation switch
    {
        2 => (w - 1 - x, y),
        3 => (w - 1 - x, h - 1 - y),
        4 => (x, h - 1 - y),
        5 => (y, x),
        6 => (y, h - 1 - x),
        7 => (w - 1 - y, h - 1 - x),
        8 => (w - 1 - y, x),
        _ => (x, y),
    };
}
