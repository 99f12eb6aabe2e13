using NetVips;

namespace MultiModalSearch.Imaging;

/// <summary>Small WebP previews made from pixels that are already decoded (upright, 8-bit, Grey/RGB with or without alpha).</summary>
internal static class WebpThumbnail
{
    private const int Quality = 75;

    public static bool CanEncode(DecodedImage decoded) => decoded.Layout != PixelLayout.Cmyk;

    public static unsafe byte[] FromDecoded(DecodedImage decoded, int size, string path)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var pixels = new ReadOnlySpan<byte>(decoded.Data, checked(decoded.Stride * decoded.Height));
        try
        {
            using var raw = Image.NewFromMemoryCopy(pixels, decoded.Width, decoded.Height, decoded.Bands, Enums.BandFormat.Uchar);
            using var tagged = raw.Copy(interpretation: decoded.Bands >= 3 ? Enums.Interpretation.Srgb : Enums.Interpretation.Bw);
            // Size.Down: a small image is not blown up. keep: None drops every metadata block from the preview.
            using var thumb = tagged.ThumbnailImage(size, height: size, size: Enums.Size.Down);
            // Effort 0: a quarter of the default effort's encoding time for files about a quarter larger (6 KiB at 256 px).
            return thumb.WebpsaveBuffer(q: Quality, effort: 0, keep: Enums.ForeignKeep.None);
        }
        catch (VipsException e)
        {
            throw ImageDecodeException.For(path, $"cannot make a thumbnail: {e.Message.Trim()}");
        }
    }
}
