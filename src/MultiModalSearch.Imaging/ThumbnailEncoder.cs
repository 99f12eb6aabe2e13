using NetVips;

namespace MultiModalSearch.Imaging;

/// <summary>
/// Small WebP previews for the UI: upright per EXIF, sRGB, no metadata, longest side at most
/// <see cref="ThumbnailSettings.Size"/>. Made from pixels already decoded for the model when possible (no second decode),
/// else from the encoded bytes with libvips' shrink-on-load, under the same pixel limits as every other decode.
/// </summary>
public sealed class ThumbnailEncoder(ThumbnailSettings settings, ImageDecodeOptions decodeOptions)
{
    public ThumbnailEncoder() : this(ThumbnailSettings.Default, ImageDecodeOptions.Default)
    {
    }

    public ThumbnailSettings Settings { get; } = settings;

    /// <summary>From encoded bytes.</summary>
    /// <exception cref="ImageDecodeException">The image cannot be decoded, or is over the limits.</exception>
    public byte[] Encode(ReadOnlySpan<byte> data, string path)
    {
        if (data.IsEmpty)
        {
            throw ImageDecodeException.For(path, "the data is empty (0 bytes)");
        }

        VipsRuntime.EnsureConfigured();
        // libvips here has no BMP loader; the project's own decoder covers it.
        if (BmpDecoder.IsBmp(data))
        {
            using var decoded = BmpDecoder.Decode(data, path, decodeOptions);
            return FromDecoded(decoded, path);
        }

        var buffer = data.ToArray();
        CheckPixelLimit(buffer, path);
        try
        {
            // thumbnail_buffer shrinks on load (JPEG DCT scaling, WebP/HEIF scaled decode) and applies the EXIF
            // orientation itself. srgb output: metadata is stripped, so wide-gamut pixels must be converted rather than
            // left tagged by a profile that is then dropped. fail-on goes in the loader option string: thumbnail's own
            // failOn argument did not reject a cut-off JPEG.
            using var thumb = Image.ThumbnailBuffer(buffer, Settings.Size, optionString: "fail-on=truncated", height: Settings.Size,
                size: Enums.Size.Down, outputProfile: "srgb");
            return Save(thumb);
        }
        catch (VipsException e)
        {
            var cause = e.Message.Replace('\n', ' ').Trim();
            throw ImageDecodeException.For(path, cause.Length == 0 ? "libvips could not make a thumbnail" : cause, e);
        }
    }

    /// <summary>From upright 8-bit Grey/RGB pixels, with or without alpha (the BMP decoder's output).</summary>
    internal unsafe byte[] FromDecoded(DecodedImage decoded, string path)
    {
        var pixels = new ReadOnlySpan<byte>(decoded.Data, checked(decoded.Stride * decoded.Height));
        try
        {
            using var raw = Image.NewFromMemoryCopy(pixels, decoded.Width, decoded.Height, decoded.Bands, Enums.BandFormat.Uchar);
            using var tagged = TaggedByBands(raw);
            return ShrinkUprightSave(tagged, orientation: 1);
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
    internal byte[]? TryFromVips(Image decoded, PixelLayout layout, int orientation)
    {
        try
        {
            // The decoder's bands are already Pillow's (16-bit narrowed, palette expanded), but its interpretation tag
            // may still say RGB16 or B_W16, which would make the saver rescale: tag what the pixels are.
            using var tagged = layout == PixelLayout.Cmyk ? decoded.Colourspace(Enums.Interpretation.Srgb) : TaggedByBands(decoded);
            return ShrinkUprightSave(tagged, orientation);
        }
        catch (VipsException)
        {
            return null;
        }
    }

    /// <summary>
    /// Refuses decompression bombs before libvips streams through them. JPEG decodes at 1/8 scale here, so only its
    /// scaled size counts, matching the decoder's shrink-on-load rule.
    /// </summary>
    private void CheckPixelLimit(byte[] buffer, string path)
    {
        var info = ImageDecoder.WithHeader(path, buffer, ImageInfo.FromVips);
        long w = info.Width, h = info.Height;
        if (info.Format == ImageFormat.Jpeg)
        {
            (w, h) = ((w + 7) / 8, (h + 7) / 8);
        }

        ImageLimits.CheckPixels(w, h, decodeOptions, path);
    }

    /// <summary>8-bit Grey or RGB (with or without alpha) tagged B_W or sRGB, whatever its tag said before.</summary>
    private static Image TaggedByBands(Image pixels) =>
        pixels.Copy(interpretation: pixels.Bands >= 3 ? Enums.Interpretation.Srgb : Enums.Interpretation.Bw);

    /// <summary>Size.Down: a small image is not blown up; the orientation is undone on the preview, after the shrink.</summary>
    private byte[] ShrinkUprightSave(Image tagged, int orientation)
    {
        using var thumb = tagged.ThumbnailImage(Settings.Size, height: Settings.Size, size: Enums.Size.Down, noRotate: true);
        using var upright = Upright(thumb, orientation);
        return Save(upright);
    }

    /// <summary>EXIF orientations 2-8 undone on the (small) thumbnail rather than on the decoded photo.</summary>
    private static Image Upright(Image image, int orientation) => orientation switch
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

    private static Image Then(Image first, Func<Image, Image> next)
    {
        using (first)
        {
            return next(first);
        }
    }

    // keep: None drops every metadata block (EXIF, orientation already applied, XMP, ICC) from the preview.
    private byte[] Save(Image thumb) => Settings.LosslessWithAlpha && thumb.HasAlpha()
        ? thumb.WebpsaveBuffer(lossless: true, exact: true, effort: Settings.Effort, keep: Enums.ForeignKeep.None)
        : thumb.WebpsaveBuffer(q: Settings.Quality, effort: Settings.Effort, keep: Enums.ForeignKeep.None);
}
