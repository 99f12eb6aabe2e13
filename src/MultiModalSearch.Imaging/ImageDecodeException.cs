namespace MultiModalSearch.Imaging;

/// <summary>
/// The one exception type for every reason an image cannot be turned into pixels: unreadable or
/// empty file, truncated or corrupt data, unsupported format, or a size/pixel limit. Callers
/// (indexer workers, upload handlers) catch this to skip or reject one image and keep going.
/// </summary>
public sealed class ImageDecodeException : Exception
{
    public ImageDecodeException()
    {
    }

    public ImageDecodeException(string message)
        : base(message)
    {
    }

    public ImageDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The file path, or a caller-supplied name for in-memory images.</summary>
    public string? ImageName { get; init; }

    internal static ImageDecodeException For(string source, string cause, Exception? inner = null) =>
        inner is null
            ? new ImageDecodeException($"Cannot decode image '{source}': {cause}") { ImageName = source }
            : new ImageDecodeException($"Cannot decode image '{source}': {cause}", inner) { ImageName = source };
}
