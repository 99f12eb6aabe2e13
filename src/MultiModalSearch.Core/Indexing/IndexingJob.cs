using System.Threading.Channels;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Models.Inference;

namespace MultiModalSearch.Core.Indexing;

/// <summary>
/// Indexes files into a collection. The crawl records what exists (<see cref="CrawlRecorder"/>); workers (this process,
/// and any others on the same collection) claim pending assets, hash them and skip contents already embedded
/// (<see cref="WorkClaimer"/>), embed the rest through the batched pipeline, and record each flush in one transaction
/// (<see cref="ResultWriter"/>). A killed run loses at most its unrecorded flush, which the next run redoes, and the
/// content-hash key keeps every embedding single. <see cref="SearchIndexLifecycle"/> decides when the index is rebuilt.
/// </summary>
public sealed class IndexingJob
{
    private readonly IndexingStores stores;
    private readonly IContentProcessor processor;
    private readonly IndexingOptions options;
    private readonly IndexingCounters counters = new();
    private readonly InFlightContents inFlight = new();
    private readonly PipelineOptions pipelineOptions;
    private readonly string workerId;

    /// <summary>A run that embeds images with <paramref name="session"/>.</summary>
    public IndexingJob(IndexingStores stores, ClipSession session, IndexingOptions options)
        : this(stores, new ImageContentProcessor(session, options), options)
    {
    }

    /// <summary>A run whose files are read and embedded by <paramref name="processor"/> (documents: Ingestion).</summary>
    internal IndexingJob(IndexingStores stores, IContentProcessor processor, IndexingOptions options)
    {
        this.stores = stores;
        this.processor = processor;
        this.options = options;
        pipelineOptions = options.Pipeline.Resolve(processor.Compute) with { PreserveOrder = false };
        workerId = options.WorkerId ?? WorkerIdentity.Current;
    }

    /// <summary>
    /// Runs to completion. <paramref name="stop"/> (SIGINT, SIGTERM) stops claiming and lets the work in flight finish and
    /// be recorded; <paramref name="abort"/> abandons it (the next run redoes it).
    /// </summary>
    public async Task<IndexingSummary> RunAsync(IProgress<IndexingProgress>? progress = null, CancellationToken stop = default, CancellationToken abort = default)
    {
        counters.Clock.Start();
        var collection = await stores.Collections.OpenAsync(options.Collection, options.ModelId, processor.Dimension, cancellationToken: abort, modelFingerprint: options.ModelFingerprint);
        await ReleaseDeadClaimsAsync(collection, abort);
        var searchIndex = new SearchIndexLifecycle(stores, collection, options.Lease);
        await searchIndex.RememberStartAsync(abort);
        var crawler = new CrawlRecorder(stores.Queue, collection, options, counters);
        using var crawlStop = CancellationTokenSource.CreateLinkedTokenSource(stop, abort);
        var crawl = Task.Run(async () =>
        {
            await crawler.RunAsync(crawlStop.Token);
            await searchIndex.DeferIfBulkAsync(crawlStop.Token);
            counters.Stage = IndexingStage.Indexing;
        }, abort);
        using var reporter = progress is null ? null : new Timer(_ => progress.Report(counters.Snapshot()), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
        try
        {
            // Work put back by a flush (a rename met a prune of its old path mid-run) is claimed again, and now embedded.
            do
            {
                Interlocked.Exchange(ref counters.Requeued, 0);
                await WorkAsync(collection, crawl, stop, abort);
            }
            while (Interlocked.Read(ref counters.Requeued) > 0 && !stop.IsCancellationRequested);
        }
        finally
        {
            await crawlStop.CancelAsync();
            await crawl.ContinueWith(_ => { }, TaskScheduler.Default);
            await stores.Queue.TryReleaseClaimsAsync(collection, [workerId]);
        }

        var crawlFailure = crawl.Exception?.GetBaseException();
        if (crawlFailure is not null && crawlFailure is not OperationCanceledException)
        {
            throw crawlFailure;
        }

        var outcome = stop.IsCancellationRequested
            ? await searchIndex.InterruptedAsync(abort)
            : await searchIndex.FinishAsync(() => counters.Stage = IndexingStage.BuildingSearchIndex, abort);
        progress?.Report(counters.Snapshot());
        return Summary(collection, crawler, stop.IsCancellationRequested, outcome);
    }

    /// <summary>Claims left by a dead process of this host (a crash, a SIGKILL) go back to the queue at once.</summary>
    private async Task ReleaseDeadClaimsAsync(Collection collection, CancellationToken cancellationToken)
    {
        var holders = await stores.Queue.GetClaimHoldersAsync(collection, cancellationToken);
        var dead = holders.Where(WorkerIdentity.IsDeadLocalWorker).ToList();
        if (dead.Count > 0)
        {
            await stores.Queue.ReleaseClaimsAsync(collection, dead, cancellationToken);
        }
    }

    private async Task WorkAsync(Collection collection, Task crawl, CancellationToken stop, CancellationToken abort)
    {
        // A writer that dies (database gone) must stop the pipeline, or the bounded queue to it would fill and hang.
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var token = failed.Token;
        var writes = Channel.CreateBounded<IndexItem>(pipelineOptions.BatchSize * 4);
        var writer = Task.Run(() => new ResultWriter(stores, processor, collection, pipelineOptions.BatchSize, counters, inFlight).RunAsync(writes.Reader, token), token);
        _ = writer.ContinueWith(_ => failed.Cancel(), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        var claimer = new WorkClaimer(stores, processor, collection, options, pipelineOptions, workerId, counters, inFlight);
        try
        {
            await foreach (var item in processor.ProcessAsync(claimer.ClaimAsync(crawl, writes.Writer, stop, token), pipelineOptions, token))
            {
                if (item.Error is null && item.Embedding is not null)
                {
                    Interlocked.Increment(ref counters.Embedded);
                }

                await writes.Writer.WriteAsync(item, token);
            }

            writes.Writer.TryComplete();
        }
        catch (Exception e)
        {
            writes.Writer.TryComplete(e);
            if (!writer.IsFaulted)
            {
                throw;
            }
        }
        finally
        {
            await writer.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await writer; // surfaces a database failure as the cause, rather than the cancellation it triggered
    }

    private IndexingSummary Summary(Collection collection, CrawlRecorder crawler, bool interrupted, SearchIndexOutcome searchIndex) => new(
        collection.Name, collection.ModelId, counters.Crawled, counters.Added, counters.Changed, counters.Unchanged,
        counters.Embedded, counters.Reused, counters.Failed, counters.Removed,
        [.. crawler.Crawler.Problems], interrupted, counters.Clock.Elapsed.TotalSeconds, searchIndex);
}
