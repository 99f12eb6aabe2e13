namespace MultiModalSearch.Imaging;

/// <summary>Pillow's integer mode conversions (libImaging/Convert.c semantics) and the final float packing.</summary>
internal static unsafe class PixelConversions
{
    // Pillow's MULDIV255: a * b / 255 rounded, with shifts instead of a division.
    private static int MulDiv255(int a, int b)
    {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }

    /// <summary>RGBA -> RGBa / LA -> La: colour channels times alpha / 255; alpha is the last band.</summary>
    public static void Premultiply(byte* p, long pixels, int bands)
    {
        int colours = bands - 1;
        for (long i = 0; i < pixels; i++, p += bands)
        {
            int alpha = p[colours];
            if (alpha == 255)
                continue;
            for (int c = 0; c < colours; c++)
                p[c] = (byte)MulDiv255(p[c], alpha);
        }
    }

    /// <summary>RGBa -> RGBA: integer division by alpha; alpha 0 keeps the (premultiplied, usually 0) colour.</summary>
    public static void Unpremultiply(byte* p, long pixels, int bands)
    {
        int colours = bands - 1;
        for (long i = 0; i < pixels; i++, p += bands)
        {
            int alpha = p[colours];
            if (alpha is 255 or 0)
                continue;
            for (int c = 0; c < colours; c++)
                p[c] = (byte)Math.Min(255 * p[c] / alpha, 255);
        }
    }

    /// <summary>Pillow's cmyk2rgb (no ICC profile): ink removal scaled by (255 - K), into interleaved RGB.</summary>
    public static void CmykToRgb(byte* src, long pixels, byte* dst)
    {
        for (long i = 0; i < pixels; i++, src += 4, dst += 3)
        {
            int nk = 255 - src[3];
            dst[0] = (byte)Math.Clamp(nk - MulDiv255(src[0], nk), 0, 255);
            dst[1] = (byte)Math.Clamp(nk - MulDiv255(src[1], nk), 0, 255);
            dst[2] = (byte)Math.Clamp(nk - MulDiv255(src[2], nk), 0, 255);
        }
    }

    /// <summary>convert('RGB') of the cropped pixels, then the per-channel LUT, written as CHW planes.</summary>
    public static void ToNormalisedChw(byte* src, int pixels, PixelLayout layout, float* lut, float* dst)
    {
        float* r = dst;
        float* g = dst + pixels;
        float* b = dst + 2 * pixels;
        float* lr = lut;
        float* lg = lut + 256;
        float* lb = lut + 512;
        switch (layout)
        {
            case PixelLayout.Grey:
            case PixelLayout.GreyAlpha:
                int step = layout == PixelLayout.Grey ? 1 : 2;
                for (int i = 0; i < pixels; i++, src += step)
                {
                    int v = src[0];
                    r[i] = lr[v];
                    g[i] = lg[v];
                    b[i] = lb[v];
                }
                break;
            case PixelLayout.Rgb:
            case PixelLayout.Rgba:
                int bands = layout == PixelLayout.Rgb ? 3 : 4;
                for (int i = 0; i < pixels; i++, src += bands)
                {
                    r[i] = lr[src[0]];
                    g[i] = lg[src[1]];
                    b[i] = lb[src[2]];
                }
                break;
            case PixelLayout.Cmyk:
                for (int i = 0; i < pixels; i++, src += 4)
                {
                    // Pillow's cmyk2rgb: no ICC profile, just ink removal scaled by (255 - K).
                    int nk = 255 - src[3];
                    r[i] = lr[Math.Clamp(nk - MulDiv255(src[0], nk), 0, 255)];
                    g[i] = lg[Math.Clamp(nk - MulDiv255(src[1], nk), 0, 255)];
                    b[i] = lb[Math.Clamp(nk - MulDiv255(src[2], nk), 0, 255)];
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(layout), layout, null);
        }
    }
}
