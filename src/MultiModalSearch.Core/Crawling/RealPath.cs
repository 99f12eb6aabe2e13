using MultiModalSearch.FileSystem;

namespace MultiModalSearch.Core.Crawling;

/// <summary>
/// Paths with every link resolved, so two ways of reaching one directory or file compare equal: realpath(3) on the
/// name's bytes (names that are not UTF-8 included), and the prefix test the crawl's de-duplication relies on.
/// </summary>
internal static class RealPath
{
    /// <summary>The resolved path, or null when it does not exist (a broken link) or links cycle among themselves.</summary>
    public static string? Resolve(string path) => UnixFiles.RealPath(path);

    /// <summary>Whether <paramref name="path"/> is <paramref name="directory"/> or lies below it, and the part below it.</summary>
    public static bool TryGetRelative(string directory, string path, out string relative)
    {
        relative = "";
        if (string.Equals(directory, path, StringComparison.Ordinal))
        {
            return true;
        }

        var prefix = Path.EndsInDirectorySeparator(directory) ? directory : directory + Path.DirectorySeparatorChar;
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        relative = path[prefix.Length..].Replace(Path.DirectorySeparatorChar, '/');
        return true;
    }
}
