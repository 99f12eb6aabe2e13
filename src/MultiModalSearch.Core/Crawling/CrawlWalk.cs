using MultiModalSearch.FileSystem;

namespace MultiModalSearch.Core.Crawling;

/// <summary>
/// The state of one <see cref="FileCrawler.Crawl"/>: a depth-first walk with an explicit stack, holding one sorted
/// directory listing per level instead of the archive, and the real paths that keep each file to one appearance.
/// Directories are listed and files looked at by the bytes of their names (<see cref="UnixFiles"/>), so a name that
/// is not UTF-8 is crawled like any other.
/// </summary>
internal sealed class CrawlWalk(CrawlOptions options, IReadOnlyList<CrawlRoot> roots, List<CrawlProblem> problems)
{
    private readonly CrawlFilter filter = new(options);
    private readonly HashSet<string> visitedDirectories = new(StringComparer.Ordinal);
    private readonly HashSet<string> openDirectories = new(StringComparer.Ordinal);

    // Only files reached through a link (a file link, or anywhere below a directory link) or named as a root land here;
    // files reached from a root without links are unique already, so a plain archive costs no memory per file.
    private readonly HashSet<string> linkedFiles = new(StringComparer.Ordinal);

    public IEnumerable<CrawledFile> Run(CancellationToken cancellationToken)
    {
        foreach (var root in roots)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (root.IsFile)
            {
                if (RootFile(root) is { } file)
                {
                    yield return file;
                }

                continue;
            }

            foreach (var file in WalkDirectory(root, cancellationToken))
            {
                yield return file;
            }
        }
    }

    private CrawledFile? RootFile(CrawlRoot root)
    {
        var name = Path.GetFileName(root.Path);

        // Named explicitly, so globs and hidden names do not apply; it must still be an image the indexer can read.
        if (!options.IsSupportedName(name) || ReachedDirectly(root.RealPath, isDirectory: false, fileRoots: false) || !linkedFiles.Add(root.RealPath))
        {
            return null;
        }

        return Describe(root.Path, Path.GetDirectoryName(root.Path)!, name, root.RealPath);
    }

    private IEnumerable<CrawledFile> WalkDirectory(CrawlRoot root, CancellationToken cancellationToken)
    {
        // A root inside another root (or already crawled through a link) adds nothing new.
        if (!visitedDirectories.Add(root.RealPath))
        {
            yield break;
        }

        var stack = new Stack<CrawlFrame>();
        Open(stack, root.Path, root.RealPath, "", viaLink: false);
        while (stack.TryPeek(out var frame))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!frame.TryNext(out var entry))
            {
                stack.Pop();
                openDirectories.Remove(frame.RealPath);
                continue;
            }

            if (Visit(root, frame, entry, stack) is { } file)
            {
                yield return file;
            }
        }
    }

    private CrawledFile? Visit(CrawlRoot root, CrawlFrame frame, DirectoryEntry entry, Stack<CrawlFrame> stack)
    {
        var relative = frame.ChildRelativePath(entry.Name);
        var path = Path.Combine(frame.Path, entry.Name);

        // The kind comes with the listing, so plain entries cost no stat (a file system that does not say gets one).
        var kind = entry.Kind == FileKind.Unknown ? KindOf(path) : entry.Kind;
        if (kind == FileKind.SymbolicLink)
        {
            return options.FollowSymlinks ? VisitLink(root, path, relative, stack) : null;
        }

        if (kind == FileKind.Directory)
        {
            // Not a link, so its real path is its parent's plus its name.
            var real = Path.Combine(frame.RealPath, entry.Name);
            if (filter.DescendsInto(root.Path, relative) && visitedDirectories.Add(real))
            {
                Open(stack, path, real, relative, frame.ViaLink);
            }

            return null;
        }

        // Below a followed link a file may also be the target of a file link (or another directory link) seen elsewhere.
        if (!filter.Accepts(root.Path, relative) || (frame.ViaLink && !linkedFiles.Add(Path.Combine(frame.RealPath, entry.Name))))
        {
            return null;
        }

        return Describe(path, root.Path, relative, path);
    }

    private CrawledFile? VisitLink(CrawlRoot root, string path, string relative, Stack<CrawlFrame> stack)
    {
        string? real;
        try
        {
            real = RealPath.Resolve(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new CrawlProblem(path, $"unreadable symlink: {e.Message}"));
            return null;
        }

        if (real is null)
        {
            problems.Add(new CrawlProblem(path, "broken symlink: its target does not exist (or links cycle among themselves)"));
            return null;
        }

        if (KindOf(real) == FileKind.Directory)
        {
            FollowDirectoryLink(root, path, real, relative, stack);
            return null;
        }

        // A target also reached without links is yielded there; otherwise the first link to it (in crawl order) wins.
        if (!filter.Accepts(root.Path, relative) || ReachedDirectly(real, isDirectory: false, fileRoots: true) || !linkedFiles.Add(real))
        {
            return null;
        }

        return Describe(path, root.Path, relative, real);
    }

    private void FollowDirectoryLink(CrawlRoot root, string path, string real, string relative, Stack<CrawlFrame> stack)
    {
        if (!filter.DescendsInto(root.Path, relative))
        {
            return;
        }

        if (openDirectories.Contains(real))
        {
            problems.Add(new CrawlProblem(path, $"symlink loop: leads back to '{real}', which is being crawled; not followed"));
            return;
        }

        // Reached from a root without links, or already crawled through another link: its files come once, from there.
        if (ReachedDirectly(real, isDirectory: true, fileRoots: false) || !visitedDirectories.Add(real))
        {
            return;
        }

        Open(stack, path, real, relative, viaLink: true);
    }

    /// <summary>Whether a real path is reached from some root without following links (so a link to it adds nothing).</summary>
    private bool ReachedDirectly(string real, bool isDirectory, bool fileRoots)
    {
        foreach (var root in roots)
        {
            if (root.IsFile)
            {
                if (fileRoots && !isDirectory && string.Equals(root.RealPath, real, StringComparison.Ordinal) && options.IsSupportedName(root.Path))
                {
                    return true;
                }

                continue;
            }

            if (RealPath.TryGetRelative(root.RealPath, real, out var relative)
                && (relative.Length == 0 ? isDirectory : filter.ReachesDirectly(root.Path, relative, isDirectory)))
            {
                return true;
            }
        }

        return false;
    }

    private void Open(Stack<CrawlFrame> stack, string path, string real, string relative, bool viaLink)
    {
        var entries = List(path);
        if (entries is null)
        {
            return;
        }

        openDirectories.Add(real);
        stack.Push(new CrawlFrame(path, real, relative, viaLink, entries));
    }

    private List<DirectoryEntry>? List(string path)
    {
        try
        {
            var entries = UnixFiles.List(path).ToList();

            // Ordinal, not culture: the same order on every machine, which sharded and resumed jobs rely on.
            entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return entries;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new CrawlProblem(path, $"unreadable directory: {e.Message}"));
            return null;
        }
    }

    /// <summary>The file's size and time, from <paramref name="target"/> (the path, or a link's resolved target).</summary>
    private CrawledFile? Describe(string path, string root, string relative, string target)
    {
        // Ownership first: a worker skips the other shards' files without a stat.
        if (options.Shard is { } shard && !shard.Owns(relative))
        {
            return null;
        }

        try
        {
            var status = UnixFiles.Status(target);
            if (!status.IsRegularFile)
            {
                // A FIFO would block whoever reads it and a device never ends: said, not indexed.
                problems.Add(new CrawlProblem(path, $"{UnixFiles.Describe(status.Kind)}, not a regular file: skipped"));
                return null;
            }

            return new CrawledFile(path, root, relative, status.Size, status.Modified);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Deleted or made unreadable between the listing and now.
            problems.Add(new CrawlProblem(path, $"unreadable file: {e.Message}"));
            return null;
        }
    }

    /// <summary>lstat's kind, or Unknown when the entry vanished meanwhile.</summary>
    private static FileKind KindOf(string path)
    {
        try
        {
            return UnixFiles.Status(path, followLinks: false).Kind;
        }
        catch (IOException)
        {
            return FileKind.Unknown;
        }
    }
}
