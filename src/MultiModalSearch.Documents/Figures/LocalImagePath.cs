namespace MultiModalSearch.Documents.Figures;

/// <summary>
/// Resolves an image reference of a Markdown or HTML document to a local file, or says why not. URLs are never
/// fetched, and a path that leaves the document's folder is not followed (a document must not make the ingester read
/// files it was not given).
/// </summary>
internal static class LocalImagePath
{
    public static string? Resolve(string documentPath, string? reference, List<string> warnings)
    {
        if (string.IsNullOrWhiteSpace(reference))
            return null;
        string url = reference.Trim();
        if (url.StartsWith("//", StringComparison.Ordinal) || (url.Contains(':', StringComparison.Ordinal) && !url.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && !IsWindowsDrive(url)))
        {
            warnings.Add($"image '{Shorten(url)}' is not a local file; it is not fetched");
            return null;
        }
        if (url.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            url = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.LocalPath : url[5..];
        int cut = url.IndexOfAny(['?', '#']);
        if (cut >= 0)
            url = url[..cut];
        url = Uri.UnescapeDataString(url);
        string folder = Path.GetDirectoryName(documentPath)!;
        string full = Path.GetFullPath(Path.IsPathRooted(url) ? url : Path.Combine(folder, url));
        string root = folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar;
        if (!full.StartsWith(root, StringComparison.Ordinal))
        {
            warnings.Add($"image '{Shorten(reference)}' lies outside the document's folder; it is not read");
            return null;
        }
        if (!File.Exists(full))
        {
            warnings.Add($"image '{Shorten(reference)}' does not exist ({full})");
            return null;
        }
        return full;
    }

    private static bool IsWindowsDrive(string url) => url.Length > 2 && char.IsLetter(url[0]) && url[1] == ':' && (url[2] == '\\' || url[2] == '/');

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
