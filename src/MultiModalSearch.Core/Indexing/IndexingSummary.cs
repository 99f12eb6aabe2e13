using MultiModalSearch.Core.Crawling;

namespace MultiModalSearch.Core.Indexing;

/// <summary>
/// What a run did. <see cref="Embedded"/> counts model work; <see cref="Reused"/> files whose content was already
/// embedded; <see cref="Removed"/> paths pruned; <see cref="SearchIndex"/> the search index's state at the end.
/// </summary>
public sealed record IndexingSummary(
    string Collection,
    string Model,
    long Crawled,
    long Added,
    long Changed,
    long Unchanged,
    long Embedded,
    long Reused,
    long Failed,
    long Removed,
    IReadOnlyList<CrawlProblem> CrawlProblems,
    bool Interrupted,
    double Seconds,
    SearchIndexOutcome SearchIndex)
{
    public double FilesPerSecond => Seconds > 0 ? (Embedded + Reused + Failed) / Seconds : 0;
}
