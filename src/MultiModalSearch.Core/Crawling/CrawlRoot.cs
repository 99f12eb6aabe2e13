using MultiModalSearch.FileSystem;

namespace MultiModalSearch.Core.Crawling;

/// <summary>A root as given (absolute, unresolved) and as resolved through links.</summary>
internal sealed record CrawlRoot(string Path, string RealPath, bool IsFile)
{
    /// <exception cref="DirectoryNotFoundException">Nothing (or a broken link) is at <paramref name="given"/>.</exception>
    public static CrawlRoot Resolve(string given)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(given);
        var path = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(given));
        var real = Crawling.RealPath.Resolve(path)
            ?? throw new DirectoryNotFoundException($"Crawl root '{FileNames.Display(given)}' does not exist (or is a broken link): nothing to index there.");
        return new CrawlRoot(path, real, !UnixFiles.Status(real).IsDirectory);
    }
}
