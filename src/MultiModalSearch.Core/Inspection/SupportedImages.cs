namespace MultiModalSearch.Core.Inspection;

/// <summary>File extensions the indexer can decode, compared case-insensitively.</summary>
public static class SupportedImages
{
    public static IReadOnlySet<string> Extensions { get; } = new HashSet<string>(
        [".jpg", ".jpeg", ".jpe", ".png", ".webp", ".gif", ".tif", ".tiff", ".bmp", ".avif", ".heic", ".heif"],
        StringComparer.OrdinalIgnoreCase);

    public static bool IsSupported(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Extensions.Contains(Path.GetExtension(path));
    }
}
