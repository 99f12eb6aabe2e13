using NetVips;

namespace MultiModalSearch.Imaging;

/// <summary>Small WebP previews for the UI, made with libvips' thumbnail pipeline.</summary>
public static class ThumbnailEncoder
{
    private const int Quality = 75;

    public static byte[] Encode(ReadOnlySpan<byte> data, string path, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (data.IsEmpty)
            throw ImageDecodeException.For(path, "the data is empty (0 bytes)");
        VipsRuntime.EnsureConfigured();
        // libvips here has no BMP loader; the project's own decoder covers it.
        if (BmpDecoder.IsBmp(data))
            return FromBmp(data, path, size);
        byte[] buffer = data.ToArray();
        CheckPixelLimit(buffer, path);
        try
        {
            // thumbnail_buffer shrinks on load (JPEG DCT scaling, WebP/HEIF scaled decode) and
            // applies the EXIF orientation itself. Size.Down: small images are not blown up.
            // srgb output: metadata is stripped below, so wide-gamut pixels must be converted
            // rather than left tagged by a profile that is then dropped. fail-on goes in the
            // loader option string: thumbnail's own failOn argument did not reject a cut-off JPEG.
            using var thumb = Image.ThumbnailBuffer(buffer, size, optionString: "fail-on=truncated", height: size,
                size: Enums.Size.Down, outputProfile: "srgb");
            return Save(thumb);
        }
        catch (VipsException e)
        {
            throw Failure(path, e);
        }
    }

    private static byte[] Save(Image thumb) =>
        // keep: None drops EXIF (incl. orientation, already applied), XMP and ICC from the preview.
        thumb.WebpsaveBuffer(q: Quality, keep: Enums.ForeignKeep.None);

    /// <summary>
    /// Refuses decompression bombs before libvips streams through them. JPEG decodes at 1/8
    /// scale here, so only its scaled size counts, matching the decoder's shrink-on-load rule.
    /// </summary>
    private static void CheckPixelLimit(byte[] buffer, string path)
    {
        var info = ImageDecoder.WithHeader(path, buffer, ImageInfo.FromVips);
        long w = info.Width, h = info.Height;
        if (info.Format == ImageFormat.Jpeg)
            (w, h) = ((w + 7) / 8, (h + 7) / 8);
        ImageLimits.CheckPixels(w, h, ImageDecodeOptions.Default, path);
    }

    private static byte[] FromBmp(ReadOnlySpan<byte> data, string path, int size)
    {
        using var decoded = BmpDecoder.Decode(data, path, ImageDecodeOptions.Default);
        return WebpThumbnail.FromDecoded(decoded, size, path);
    }

    private static ImageDecodeException Failure(string path, VipsException e)
    {
        string cause = e.Message.Replace('\n', ' ').Trim();
        return ImageDecodeException.For(path, cause.Length == 0 ? "libvips could not make a thumbnail" : cause, e);
    }
}
