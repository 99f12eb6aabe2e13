using NetVips;

namespace MultiModalSearch.Imaging;

/// <summary>
/// Turns encoded bytes into upright 8-bit pixels in the layout the reference (Pillow) would
/// resize in. libvips does the decoding; this class decides load options, guards limits, maps
/// libvips' bands/formats to Pillow modes, and converts every failure to
/// <see cref="ImageDecodeException"/>.
/// </summary>
internal static class ImageDecoder
{
    private static readonly int[] ShrinkFactors = [8, 4, 2];

    /// <summary>Opens only the file's header (libvips is lazy) and hands it to <paramref name="use"/>.</summary>
    public static T WithFileHeader<T>(string path, Func<Image, T> use) => WithHeader(path, (Source?)null, use);

    /// <summary>As <see cref="WithFileHeader"/>, for encoded bytes in memory; <paramref name="name"/> is for messages.</summary>
    public static T WithHeader<T>(string name, ReadOnlySpan<byte> data, Func<Image, T> use)
    {
        VipsRuntime.EnsureConfigured();
        using var memory = Copy(name, data);
        return WithHeader(name, memory, use);
    }

    /// <param name="targetShortSide">Resize target; decides whether JPEG shrink-on-load is safe.</param>
    public static DecodedImage DecodeFile(string path, int targetShortSide, ImageDecodeOptions options) =>
        Decode(path, (Source?)null, targetShortSide, options);

    /// <summary>As <see cref="DecodeFile"/>, for encoded bytes in memory; <paramref name="name"/> is for messages.</summary>
    /// <param name="alsoUse">
    /// Given the decoded pixels as an in-memory libvips image (the layout of the result, before orientation) and the
    /// orientation the result gets, for more libvips work on the same decode (a thumbnail).
    /// </param>
    public static DecodedImage Decode(string name, ReadOnlySpan<byte> data, int targetShortSide, ImageDecodeOptions options, Action<Image, PixelLayout, int>? alsoUse = null)
    {
        VipsRuntime.EnsureConfigured();
        VipsWarnings.Clear();
        // Released after the images that read from it, which Decode disposes before returning.
        using var memory = Copy(name, data);
        return Decode(name, memory, targetShortSide, options, alsoUse);
    }

    /// <summary>
    /// One copy of the bytes, into a libvips-owned blob that both opens of a shrunk JPEG share. NetVips' NewFromBuffer
    /// would copy the whole file on every open and register each copy as GC memory pressure, which induced a gen-2
    /// collection every few photos in the indexer.
    /// </summary>
    private static Source Copy(string name, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            throw ImageDecodeException.For(name, "the data is empty (0 bytes)");
        try
        {
            return Source.NewFromMemory(data);
        }
        catch (VipsException e)
        {
            throw ImageDecodeException.For(name, Cause(e), e);
        }
    }

    /// <param name="memory">The encoded bytes, or null to read the file <paramref name="source"/>.</param>
    private static T WithHeader<T>(string source, Source? memory, Func<Image, T> use)
    {
        VipsRuntime.EnsureConfigured();
        VipsWarnings.Clear();
        try
        {
            using var image = Open(source, memory, null);
            return use(image);
        }
        catch (VipsException e)
        {
            throw ImageDecodeException.For(source, Cause(e), e);
        }
    }

    private static DecodedImage Decode(string source, Source? memory, int targetShortSide, ImageDecodeOptions options, Action<Image, PixelLayout, int>? alsoUse = null)
    {
        VipsRuntime.EnsureConfigured();
        var owned = new List<Image>(4);
        try
        {
            var image = Track(owned, Open(source, memory, null));
            int shrink = ChooseShrink(image, targetShortSide, options);
            long decodedW = (image.Width + shrink - 1) / shrink;
            long decodedH = (image.Height + shrink - 1) / shrink;
            ImageLimits.CheckPixels(decodedW, decodedH, options, source);
            if (shrink > 1)
                image = Track(owned, Open(source, memory, new VOption { { "shrink", shrink } }));

            int orientation = options.ApplyExifOrientation ? OrientationOf(image) : 1;
            var ready = ToPillowLayout(image, owned, out var layout, out bool palette);
            if (alsoUse is not null)
            {
                // Rendered once into memory that both uses read. Made by libvips, this image carries no NetVips memory
                // pressure: one wrapped around our own pixel buffer would, and induced a gen-2 collection every few photos.
                ready = Track(owned, ready.CopyMemory());
                alsoUse(ready, layout, orientation);
            }

            IntPtr pixels = ready.WriteToMemory(out ulong size);
            var decoded = DecodedImage.FromVips(pixels, ready.Width, ready.Height, layout, palette);
            if (size != (ulong)ready.Width * (ulong)ready.Height * (ulong)decoded.Bands)
            {
                decoded.Dispose();
                throw ImageDecodeException.For(source, $"libvips returned {size} bytes for a {ready.Width}x{ready.Height}x{decoded.Bands} image");
            }
            return decoded.Orient(orientation);
        }
        catch (VipsException e)
        {
            throw ImageDecodeException.For(source, Cause(e), e);
        }
        finally
        {
            foreach (var im in owned)
                im.Dispose();
        }
    }

    public static ImageFormat FormatOf(Image image)
    {
        string loader = image.Contains("vips-loader") ? (string)image.Get("vips-loader") : "";
        if (loader.StartsWith("jpegload", StringComparison.Ordinal)) return ImageFormat.Jpeg;
        if (loader.StartsWith("pngload", StringComparison.Ordinal)) return ImageFormat.Png;
        if (loader.StartsWith("webpload", StringComparison.Ordinal)) return ImageFormat.WebP;
        if (loader.StartsWith("gifload", StringComparison.Ordinal)) return ImageFormat.Gif;
        if (loader.StartsWith("tiffload", StringComparison.Ordinal)) return ImageFormat.Tiff;
        if (loader.StartsWith("svgload", StringComparison.Ordinal)) return ImageFormat.Svg;
        if (loader.StartsWith("heifload", StringComparison.Ordinal))
        {
            bool av1 = image.Contains("heif-compression") && image.Get("heif-compression") is string c && c == "av1";
            return av1 ? ImageFormat.Avif : ImageFormat.Heif;
        }
        return ImageFormat.Unknown;
    }

    public static int OrientationOf(Image image)
    {
        if (!image.Contains("orientation"))
            return 1;
        int o = Convert.ToInt32(image.Get("orientation"), System.Globalization.CultureInfo.InvariantCulture);
        return o is >= 1 and <= 8 ? o : 1;
    }

    private static Image Open(string source, Source? memory, VOption? extra)
    {
        // Sequential: decode top to bottom in one pass without keeping the whole file mapped;
        // FailOn.Truncated: a cut-off file is an error, as in Pillow (LOAD_TRUNCATED_IMAGES off),
        // while harmless libjpeg warnings (extraneous bytes) do not reject a photo.
        return memory is null
            ? Image.NewFromFile(source, access: Enums.Access.Sequential, failOn: Enums.FailOn.Truncated, kwargs: extra)
            : Image.NewFromSource(memory, access: Enums.Access.Sequential, failOn: Enums.FailOn.Truncated, kwargs: extra);
    }

    private static int ChooseShrink(Image header, int target, ImageDecodeOptions options)
    {
        if (options.ExactDecode || FormatOf(header) != ImageFormat.Jpeg)
            return 1;
        int shortSide = Math.Min(header.Width, header.Height);
        foreach (int s in ShrinkFactors)
        {
            // libjpeg's scaled size is ceil(size / s).
            if ((shortSide + s - 1) / s >= options.ShrinkOnLoadMinFactor * target)
                return s;
        }
        return 1;
    }

    /// <summary>
    /// Maps to Pillow's modes: 16-bit samples keep their high byte (what Pillow's PNG unpackers
    /// do for RGB/RGBA/LA; for 16-bit grey Pillow opens mode 'I' and later clips to 255, which
    /// turns most such photos white, so the high byte is used there too, deliberately);
    /// CMYK stays CMYK (Pillow resizes in CMYK, then converts); palette images keep only colour
    /// because Pillow's convert('RGB') of 'P' ignores transparency.
    /// </summary>
    private static Image ToPillowLayout(Image image, List<Image> owned, out PixelLayout layout, out bool palette)
    {
        palette = FormatOf(image) == ImageFormat.Gif
            || (image.Contains("palette") && Convert.ToInt32(image.Get("palette"), System.Globalization.CultureInfo.InvariantCulture) != 0);
        bool cmyk = image.Interpretation == Enums.Interpretation.Cmyk && image.Bands >= 4;

        if (image.Format == Enums.BandFormat.Ushort)
            image = Track(owned, Track(owned, image >> 8).Cast(Enums.BandFormat.Uchar));
        else if (image.Format != Enums.BandFormat.Uchar)
            image = Track(owned, image.Cast(Enums.BandFormat.Uchar));

        int bands = image.Bands;
        if (cmyk)
        {
            layout = PixelLayout.Cmyk;
            palette = false;
            return bands == 4 ? image : Track(owned, image.ExtractBand(0, 4));
        }
        if (palette)
        {
            int keep = bands >= 3 ? 3 : 1;
            layout = keep == 3 ? PixelLayout.Rgb : PixelLayout.Grey;
            return bands == keep ? image : Track(owned, image.ExtractBand(0, keep));
        }
        layout = bands switch
        {
            1 => PixelLayout.Grey,
            2 => PixelLayout.GreyAlpha,
            3 => PixelLayout.Rgb,
            _ => PixelLayout.Rgba,
        };
        return bands <= 4 ? image : Track(owned, image.ExtractBand(0, 4));
    }

    private static Image Track(List<Image> owned, Image image)
    {
        owned.Add(image);
        return image;
    }

    private static string Cause(VipsException e)
    {
        string message = e.Message.Replace("\r", "", StringComparison.Ordinal).Trim();
        return (message.Length == 0 ? "libvips could not read it" : message.Replace('\n', ' ')) + VipsWarnings.Describe();
    }
}
