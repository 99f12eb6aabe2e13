namespace MultiModalSearch.Core.Indexing;

/// <summary>
/// What a run did. <see cref="Embedded"/> counts model work; <see cref="Reused"/> files whose content was already
/// embedded; <see cref="SearchIndex"/> the HNSW index's state at the end (ready, built in N s, or absent while other
/// workers run).
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
    IReadOnlyList<string> CrawlProblems,
    bool Interrupted,
    double Seconds,
    string SearchIndex)
{
    public double FilesPerSecond => Seconds > 0 ? (Embedded + Reused + Failed) / Seconds : 0;
}
