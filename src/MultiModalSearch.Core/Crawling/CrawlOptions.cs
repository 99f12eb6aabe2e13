using MultiModalSearch.Core.Inspection;

namespace MultiModalSearch.Core.Crawling;

/// <summary>What <see cref="FileCrawler"/> yields from the roots it is given.</summary>
public sealed record CrawlOptions
{
    /// <summary>
    /// Globs relative to each root (e.g. <c>**/*.jpg</c>), matched case-insensitively. Empty means every supported file
    /// (<see cref="IsSupportedName"/>); non-empty narrows them further (the indexer can only embed what it can decode).
    /// </summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Globs relative to each root; a directory they match (or whose whole content they match) is not descended into.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Names starting with '.' (files and directories) are skipped unless this is true. Roots are never skipped.</summary>
    public bool IncludeHidden { get; init; }

    /// <summary>When set, only files whose shard this worker owns are yielded.</summary>
    public ShardSpec? Shard { get; init; }

    /// <summary>Follow links to directories and files (each target crawled once, never looping). Roots are always followed.</summary>
    public bool FollowSymlinks { get; init; } = true;

    /// <summary>
    /// Which file names the run can read (by extension): every supported image for <c>mms index</c>, documents for
    /// <c>mms ingest</c>. A root named explicitly must pass it too.
    /// </summary>
    public Func<string, bool> IsSupportedName { get; init; } = SupportedImages.IsSupported;
}
