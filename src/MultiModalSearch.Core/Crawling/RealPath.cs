namespace MultiModalSearch.Core.Crawling;

/// <summary>
/// realpath(3) in managed code: the absolute path with every link resolved, so two ways of reaching one directory or
/// file compare equal. Mono.Unix (device+inode) is not available, and ResolveLinkTarget only resolves the last component.
/// </summary>
internal static class RealPath
{
    // Linux's own limit on links followed in one lookup (ELOOP), so a cycle of links ends.
    private const int MaxLinkHops = 40;

    /// <summary>The resolved path, or null when it does not exist (a broken link) or links cycle among themselves.</summary>
    public static string? Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full)!;
        var remaining = new Stack<string>();
        PushSegments(remaining, full);
        var hops = 0;
        while (remaining.TryPop(out var segment))
        {
            var candidate = Path.Combine(current, segment);
            var target = new FileInfo(candidate).LinkTarget;
            if (target is null)
            {
                current = candidate;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                return null;
            }

            // A relative target is relative to the directory holding the link, which is already resolved.
            var resolved = Path.GetFullPath(target, current);
            PushSegments(remaining, resolved);
            current = Path.GetPathRoot(resolved)!;
        }

        return File.Exists(current) || Directory.Exists(current) ? current : null;
    }

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

    private static void PushSegments(Stack<string> remaining, string fullPath)
    {
        var root = Path.GetPathRoot(fullPath)!;
        var segments = fullPath[root.Length..].Split(
            [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        for (var i = segments.Length - 1; i >= 0; i--)
        {
            remaining.Push(segments[i]);
        }
    }
}
