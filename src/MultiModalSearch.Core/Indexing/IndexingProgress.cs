namespace MultiModalSearch.Core.Indexing;

/// <summary>A snapshot of a running job, reported a few times a second.</summary>
public sealed record IndexingProgress(
    IndexingStage Stage,
    long Crawled,
    long Queued,
    long Indexed,
    long Reused,
    long Failed,
    TimeSpan Elapsed)
{
    /// <summary>Files finished by this run: embedded, reused or failed.</summary>
    public long Done => Indexed + Reused + Failed;

    public double FilesPerSecond => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;
}
