namespace MultiModalSearch.Imaging;

/// <summary>Container formats the decoder recognises.</summary>
public enum ImageFormat
{
    Unknown = 0,
    Jpeg,
    Png,
    WebP,
    Gif,
    Tiff,
    Bmp,
    Heif,
    Avif,
    Svg,
}
