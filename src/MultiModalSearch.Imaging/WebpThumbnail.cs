using NetVips;

namespace MultiModalSearch.Imaging;

/// <summary>Small WebP previews made from pixels that are already decoded, so that a preview costs no second decode.</summary>
internal static class WebpThumbnail
{
    private const int Quality = 75;

    /// <summary>From upright 8-bit Grey/RGB pixels, with or without alpha (the BMP decoder's output).</summary>
    public static unsafe byte[] FromDecoded(DecodedImage decoded, int size, string path)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var pixels = new ReadOnlySpan<byte>(decoded.Data, checked(decoded.Stride * decoded.Height));
        try
        {
            using var raw = Image.NewFromMemoryCopy(pixels, decoded.Width, decoded.Height, decoded.Bands, Enums.BandFormat.Uchar);
            using var tagged = TaggedByBands(raw);
            return Encode(tagged, orientation: 1, size);
        }
        catch (VipsException e)
        {
            throw ImageDecodeException.For(path, $"cannot make a thumbnail: {e.Message.Trim()}");
        }
    }

    /// <summary>
    /// From the decoder's in-memory libvips image (8-bit, <paramref name="layout"/>, stored orientation), made upright
    /// per <paramref name="orientation"/>; CMYK is converted to sRGB. Null if libvips fails: a preview is a nicety.
    /// </summary>
    public static byte[]? TryFromVips(Image decoded, PixelLayout layout, int orientation, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        try
        {
            // The decoder's bands are already Pillow's (16-bit narrowed, palette expanded), but its interpretation tag
            // may still say RGB16 or B_W16, which would make the saver rescale: tag what the pixels are.
            using var tagged = layout == PixelLayout.Cmyk ? decoded.Colourspace(Enums.Interpretation.Srgb) : TaggedByBands(decoded);
            return Encode(tagged, orientation, size);
        }
        catch (VipsException)
        {
            return null;
        }
    }

    /// <summary>8-bit Grey or RGB (with or without alpha) tagged B_W or sRGB, whatever its tag said before.</summary>
    private static Image TaggedByBands(Image pixels) =>
        pixels.Copy(interpretation: pixels.Bands >= 3 ? Enums.Interpretation.Srgb : Enums.Interpretation.Bw);

    /// <summary>Size.Down: a small image is not blown up; the orientation is undone on the preview, after the shrink.</summary>
    private static byte[] Encode(Image tagged, int orientation, int size)
    {
        using var thumb = tagged.ThumbnailImage(size, height: size, size: Enums.Size.Down, noRotate: true);
        using var upright = Upright(thumb, orientation);
        return Save(upright);
    }

    /// <summary>EXIF orientations 2-8 undone on the (small) thumbnail rather than on the decoded photo.</summary>
    private static Image Upright(Image image, int orientation)
    {
        return orientation switch
        {
            2 => image.FlipHor(),
            3 => image.Rot180(),
            4 => image.FlipVer(),
            5 => Then(image.Rot90(), i => i.FlipHor()), // transpose
            6 => image.Rot90(),
            7 => Then(image.Rot270(), i => i.FlipHor()), // transverse
            8 => image.Rot270(),
            _ => image.Copy(),
        };
    }

    private static Image Then(Image first, Func<Image, Image> next)
    {
        using (first)
        {
            return next(first);
        }
    }

    // Effort 0: a quarter of the default effort's encoding time for files about a quarter larger (6 KiB at 256 px).
    // keep: None drops every metadata block from the preview.
    private static byte[] Save(Image thumb) => thumb.WebpsaveBuffer(q: Quality, effort: 0, keep: Enums.ForeignKeep.None);
}
