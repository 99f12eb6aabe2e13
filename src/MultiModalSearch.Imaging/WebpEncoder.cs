using NetVips;

namespace MultiModalSearch.Imaging;

/// <summary>WebP from raw 8-bit pixels (page renders, figure crops), through libvips like every other encode here.</summary>
public static class WebpEncoder
{
    /// <param name="pixels">Rows of <paramref name="width"/> x <paramref name="bands"/> bytes (1 grey, 3 RGB, 4 RGBA), top row first, no padding.</param>
    /// <param name="name">The image's name, for messages.</param>
    public static unsafe byte[] FromPixels(ReadOnlySpan<byte> pixels, int width, int height, int bands, string name, int quality = 80)
    {
        ImageLimits.CheckPixels(width, height, ImageDecodeOptions.Default, name);
        if (bands is not (1 or 3 or 4))
            throw ImageDecodeException.For(name, $"cannot encode {bands} bands as WebP (1, 3 or 4 expected)");
        long expected = (long)width * height * bands;
        if (pixels.Length != expected)
            throw ImageDecodeException.For(name, $"{pixels.Length} bytes given for a {width}x{height}x{bands} image ({expected} expected)");
        VipsRuntime.EnsureConfigured();
        try
        {
            using var raw = Image.NewFromMemoryCopy(pixels, width, height, bands, Enums.BandFormat.Uchar);
            using var tagged = raw.Copy(interpretation: bands >= 3 ? Enums.Interpretation.Srgb : Enums.Interpretation.Bw);
            // Effort 2: text and line art compress well already; higher efforts cost several times the time for a few percent.
            return tagged.WebpsaveBuffer(q: quality, effort: 2, keep: Enums.ForeignKeep.None);
        }
        catch (VipsException e)
        {
            throw ImageDecodeException.For(name, $"cannot encode WebP: {e.Message.Trim()}", e);
        }
    }

    /// <summary>Width and height of an encoded image, from its header.</summary>
    public static (int Width, int Height) SizeOf(ReadOnlySpan<byte> encoded, string name) =>
        ImageDecoder.WithHeader(name, encoded, image => (image.Width, image.Height));
}
