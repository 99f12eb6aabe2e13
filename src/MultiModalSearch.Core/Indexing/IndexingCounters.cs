using System.Diagnostics;

namespace MultiModalSearch.Core.Indexing;

/// <summary>What a run has done so far, updated from the crawl, the claimer and the writer at once.</summary>
internal sealed class IndexingCounters
{
    public long Crawled;
    public long Added;
    public long Changed;
    public long Unchanged;
    public long Queued;
    public long Embedded;
    public long Reused;
    public long Failed;
    public long Removed;

    /// <summary>Assets put back in the queue by a flush (their content's embedding was pruned while they were in flight).</summary>
    public long Requeued;

    private volatile IndexingStage stage = IndexingStage.CrawlingAndIndexing;

    public Stopwatch Clock { get; } = new();

    public IndexingStage Stage
    {
        get => stage;
        set => stage = value;
    }

    public IndexingProgress Snapshot() => new(
        Stage, Interlocked.Read(ref Crawled), Interlocked.Read(ref Queued),
        Interlocked.Read(ref Embedded), Interlocked.Read(ref Reused), Interlocked.Read(ref Failed), Clock.Elapsed);
}
