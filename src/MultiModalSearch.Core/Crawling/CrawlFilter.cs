using Microsoft.Extensions.FileSystemGlobbing;

namespace MultiModalSearch.Core.Crawling;

/// <summary>Decides from names and root-relative paths alone which entries the crawl keeps: hidden names, globs, extensions.</summary>
internal sealed class CrawlFilter
{
    // A name no real glob aims at: if an exclude glob matches it inside a directory, it matches everything there
    // (e.g. "cache/**"), so the directory can be pruned without listing it.
    private const string ProbeName = "\u2400mms-crawl-probe\u2400";

    private readonly Matcher? include;
    private readonly Matcher? exclude;
    private readonly bool includeHidden;
    private readonly Func<string, bool> isSupportedName;

    public CrawlFilter(CrawlOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        include = BuildMatcher(options.Include);
        exclude = BuildMatcher(options.Exclude);
        includeHidden = options.IncludeHidden;
        isSupportedName = options.IsSupportedName;
    }

    /// <summary>Whether the crawl descends into the directory at <paramref name="relativePath"/> below <paramref name="root"/>.</summary>
    public bool DescendsInto(string root, string relativePath) =>
        !IsHidden(relativePath) && !IsExcludedDirectory(root, relativePath);

    /// <summary>Whether the file at <paramref name="relativePath"/> below <paramref name="root"/> is yielded.</summary>
    public bool Accepts(string root, string relativePath) =>
        !IsHidden(relativePath)
        && isSupportedName(relativePath)
        && (include is null || include.Match(root, relativePath).HasMatches)
        && (exclude is null || !exclude.Match(root, relativePath).HasMatches);

    /// <summary>Whether a real path below <paramref name="root"/> would be reached from it without following any link.</summary>
    public bool ReachesDirectly(string root, string relativePath, bool isDirectory)
    {
        var segments = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var directories = isDirectory ? segments.Length : segments.Length - 1;
        var prefix = "";
        for (var i = 0; i < directories; i++)
        {
            prefix = prefix.Length == 0 ? segments[i] : prefix + "/" + segments[i];
            if (!DescendsInto(root, prefix))
            {
                return false;
            }
        }

        return isDirectory || Accepts(root, relativePath);
    }

    private bool IsHidden(string relativePath) =>
        !includeHidden && LastSegment(relativePath).StartsWith('.');

    private bool IsExcludedDirectory(string root, string relativePath) =>
        exclude is not null
        && (exclude.Match(root, relativePath).HasMatches || exclude.Match(root, relativePath + "/" + ProbeName).HasMatches);

    private static string LastSegment(string relativePath) =>
        relativePath[(relativePath.LastIndexOf('/') + 1)..];

    private static Matcher? BuildMatcher(IReadOnlyList<string> patterns)
    {
        if (patterns.Count == 0)
        {
            return null;
        }

        // Case-insensitive like SupportedImages, so "**/*.jpg" also takes "IMG_0001.JPG" from a camera.
        var matcher = new Matcher(StringComparison.OrdinalIgnoreCase);
        matcher.AddIncludePatterns(patterns);
        return matcher;
    }
}
