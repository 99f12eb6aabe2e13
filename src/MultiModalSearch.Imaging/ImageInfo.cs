using NetVips;

namespace MultiModalSearch.Imaging;

/// <summary>
/// Header facts about an image, read without decoding pixels (libvips loads headers lazily).
/// Width/Height are as stored; <see cref="UprightWidth"/>/<see cref="UprightHeight"/> apply the
/// EXIF orientation.
/// </summary>
public sealed record ImageInfo(int Width, int Height, ImageFormat Format, string MediaType, int Orientation, int Bands, bool HasAlpha)
{
    public int UprightWidth => Orientation >= 5 ? Height : Width;

    public int UprightHeight => Orientation >= 5 ? Width : Height;

    public long PixelCount => (long)Width * Height;

    /// <exception cref="ImageDecodeException">Unreadable, unknown or corrupt header.</exception>
    public static ImageInfo Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        ImageLimits.CheckFile(path, ImageDecodeOptions.Default.MaxFileBytes);
        if (BmpDecoder.IsBmpFile(path))
            return BmpDecoder.ReadInfo(File.ReadAllBytes(path), path);
        return ImageDecoder.WithFileHeader(path, FromVips);
    }

    /// <param name="name">Used in error messages.</param>
    public static ImageInfo Read(ReadOnlySpan<byte> data, string name = "<buffer>") =>
        data.IsEmpty || BmpDecoder.IsBmp(data) ? ReadSpecial(data, name) : ImageDecoder.WithHeader(name, data, FromVips);

    private static ImageInfo ReadSpecial(ReadOnlySpan<byte> data, string name) =>
        data.IsEmpty ? throw ImageDecodeException.For(name, "the data is empty (0 bytes)") : BmpDecoder.ReadInfo(data, name);

    internal static ImageInfo FromVips(Image image)
    {
        var format = ImageDecoder.FormatOf(image);
        int orientation = ImageDecoder.OrientationOf(image);
        return new ImageInfo(image.Width, image.Height, format, MediaTypeOf(format), orientation, image.Bands, image.HasAlpha());
    }

    public static string MediaTypeOf(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.Png => "image/png",
        ImageFormat.WebP => "image/webp",
        ImageFormat.Gif => "image/gif",
        ImageFormat.Tiff => "image/tiff",
        ImageFormat.Bmp => "image/bmp",
        ImageFormat.Heif => "image/heif",
        ImageFormat.Avif => "image/avif",
        ImageFormat.Svg => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
