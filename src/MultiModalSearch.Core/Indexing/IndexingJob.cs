using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using MultiModalSearch.Abstractions.Assets;
using MultiModalSearch.Core.Crawling;
using MultiModalSearch.Core.Inspection;
using MultiModalSearch.Imaging;
using MultiModalSearch.Models.Inference;
using MultiModalSearch.Storage.Postgres;

namespace MultiModalSearch.Core.Indexing;

/// <summary>
/// Indexes files into a collection. The crawl records what exists; workers (this process, and any others on the same
/// collection) claim pending assets in PostgreSQL, hash them, skip contents already embedded, embed the rest through the
/// batched pipeline and record each flush in one transaction. So a killed run loses at most its unrecorded flush, which
/// the next run redoes, and the content-hash key keeps every embedding single.
/// </summary>
public sealed class IndexingJob(StorageClient storage, ClipSession session, IndexingOptions options)
{
    private const int ThumbnailSize = 256;
    private const long BulkLoadMinimum = 100;
    private const int PrepareSlice = 8;
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    private readonly Counters counters = new();
    private readonly Dictionary<string, IndexItem> inFlight = new(StringComparer.Ordinal);
    private readonly Stopwatch clock = new();
    private readonly PipelineOptions pipelineOptions = options.Pipeline.Resolve(session.Embedder.Compute) with { PreserveOrder = false };
    private readonly string workerId = options.WorkerId ?? WorkerIdentity.Current;
    private Collection collection = null!;
    private volatile string stage = "crawling+indexing";
    private long indexedAtStart;

    /// <summary>
    /// Runs to completion. <paramref name="stop"/> (SIGINT, SIGTERM) stops claiming and lets the work in flight finish and
    /// be recorded; <paramref name="abort"/> abandons it (the next run redoes it).
    /// </summary>
    public async Task<IndexingSummary> RunAsync(IProgress<IndexingProgress>? progress = null, CancellationToken stop = default, CancellationToken abort = default)
    {
        clock.Start();
        collection = await storage.OpenCollectionAsync(options.Collection, options.ModelId, session.Dimension, cancellationToken: abort);
        await ReleaseDeadClaimsAsync(abort);
        indexedAtStart = (await storage.GetStatusAsync(collection, options.Lease, abort)).Indexed;
        var crawler = new FileCrawler(options.Crawl);
        using var crawlStop = CancellationTokenSource.CreateLinkedTokenSource(stop, abort);
        var crawl = Task.Run(() => CrawlAsync(crawler, crawlStop.Token), abort);
        using var reporter = progress is null ? null : new Timer(_ => progress.Report(Snapshot()), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
        try
        {
            await WorkAsync(crawl, stop, abort);
        }
        finally
        {
            await crawlStop.CancelAsync();
            await crawl.ContinueWith(_ => { }, TaskScheduler.Default);
            await ReleaseOwnClaimsAsync();
        }

        var crawlFailure = crawl.Exception?.GetBaseException();
        if (crawlFailure is not null && crawlFailure is not OperationCanceledException)
        {
            throw crawlFailure;
        }

        // After Ctrl+C the user wants out: a bulk load's index is built by the run that completes it.
        var searchIndex = stop.IsCancellationRequested
            ? await storage.HasSearchIndexAsync(collection, abort) ? "ready" : "absent: run interrupted; the next complete run builds it"
            : await FinishSearchIndexAsync(abort);
        progress?.Report(Snapshot());
        return Summary(crawler, stop.IsCancellationRequested, searchIndex);
    }

    /// <summary>Best effort: when the database itself failed, its first error is the one worth reporting, not this one.</summary>
    private async Task ReleaseOwnClaimsAsync()
    {
        try
        {
            await storage.ReleaseClaimsAsync(collection, [workerId], CancellationToken.None);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // Left claims expire after the lease, or are released by this host's next run.
        }
    }

    private async Task ReleaseDeadClaimsAsync(CancellationToken cancellationToken)
    {
        var holders = await storage.GetClaimHoldersAsync(collection, cancellationToken);
        var dead = holders.Where(WorkerIdentity.IsDeadLocalWorker).ToList();
        if (dead.Count > 0)
        {
            await storage.ReleaseClaimsAsync(collection, dead, cancellationToken);
        }
    }

    // ---- crawl ----

    private async Task CrawlAsync(FileCrawler crawler, CancellationToken cancellationToken)
    {
        const int chunkSize = 1000;
        var seen = options.Prune ? new List<string>() : null;
        var chunk = new List<CrawlEntry>(chunkSize);
        foreach (var file in crawler.Crawl(options.Roots, cancellationToken))
        {
            chunk.Add(new CrawlEntry(file.Path, file.Bytes, file.Modified));
            seen?.Add(file.Path);
            if (chunk.Count == chunkSize)
            {
                await UpsertAsync(chunk, cancellationToken);
            }
        }

        await UpsertAsync(chunk, cancellationToken);
        if (seen is not null)
        {
            var prefixes = options.Roots.Select(RootPrefix).ToList();
            counters.Removed = await storage.PruneUnderAsync(collection, prefixes, seen, cancellationToken);
        }

        await DeferSearchIndexIfBulkAsync(cancellationToken);
        stage = "indexing";
    }

    private async Task UpsertAsync(List<CrawlEntry> chunk, CancellationToken cancellationToken)
    {
        if (chunk.Count == 0)
        {
            return;
        }

        var result = await storage.UpsertCrawlAsync(collection, chunk, cancellationToken);
        Interlocked.Add(ref counters.Crawled, chunk.Count);
        Interlocked.Add(ref counters.Added, result.Added);
        Interlocked.Add(ref counters.Changed, result.Changed);
        Interlocked.Add(ref counters.Unchanged, result.Unchanged);
        chunk.Clear();
    }

    /// <summary>A directory root covers what is below it; a file root only itself.</summary>
    private static string RootPrefix(string root)
    {
        var full = Path.GetFullPath(root);
        return Directory.Exists(full) ? Path.TrimEndingDirectorySeparator(full) + Path.DirectorySeparatorChar : full;
    }

    // ---- work ----

    private async Task WorkAsync(Task crawl, CancellationToken stop, CancellationToken abort)
    {
        // A writer that dies (database gone) must stop the pipeline, or the bounded queue to it would fill and hang.
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var token = failed.Token;
        var writes = Channel.CreateBounded<IndexItem>(pipelineOptions.BatchSize * 4);
        var writer = Task.Run(() => WriteAsync(writes.Reader, token), token);
        _ = writer.ContinueWith(_ => failed.Cancel(), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        try
        {
            var pipeline = session.CreateImagePipeline<IndexItem>(LoadPixels, pipelineOptions);
            await foreach (var result in pipeline.RunAsync(ClaimAsync(crawl, writes.Writer, stop, token), token))
            {
                var item = result.Input;
                if (result.Succeeded)
                {
                    item.Embedding = result.Embedding;
                    Interlocked.Increment(ref counters.Embedded);
                }
                else
                {
                    item.Error = result.Error;
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

    /// <summary>
    /// Yields the claimed assets whose content still needs the model. Claiming, reading, hashing and inspecting run one
    /// claim ahead of the pipeline, so that its decoders never wait on the database or the disk between chunks.
    /// </summary>
    private async IAsyncEnumerable<IndexItem> ClaimAsync(Task crawl, ChannelWriter<IndexItem> writes, CancellationToken stop, [EnumeratorCancellation] CancellationToken abort)
    {
        // Read files wait in memory until decoded: the queue below holds one claim (by default one batch, at most 64
        // files: 320 MB of 5 MB photos, in pooled buffers of the next power of two), plus the slice being read and the
        // few in the pipeline's work queue.
        var claimSize = options.ClaimSize > 0 ? options.ClaimSize : Math.Min(pipelineOptions.BatchSize, 64);
        var ready = Channel.CreateBounded<IndexItem>(claimSize);
        using var finished = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var producer = Task.Run(() => ClaimAheadAsync(crawl, claimSize, ready.Writer, writes, stop, finished.Token), finished.Token);
        try
        {
            await foreach (var item in ready.Reader.ReadAllAsync(abort))
            {
                yield return item;
            }
        }
        finally
        {
            // A consumer that stops early (the pipeline failed) must not leave the producer blocked on a full queue.
            await finished.CancelAsync();
            await producer.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Claims chunk by chunk until the work runs out or <paramref name="stop"/>; completes <paramref name="ready"/> either way.</summary>
    private async Task ClaimAheadAsync(Task crawl, int claimSize, ChannelWriter<IndexItem> ready, ChannelWriter<IndexItem> writes, CancellationToken stop, CancellationToken abort)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var crawlWasDone = crawl.IsCompleted;
                var claimed = await storage.ClaimAsync(collection, workerId, claimSize, options.Lease, abort);
                if (claimed.Count == 0)
                {
                    if (crawlWasDone)
                    {
                        break; // the crawl had finished before this empty claim: nothing is left
                    }

                    await Task.WhenAny(crawl, Task.Delay(200, abort));
                    continue;
                }

                Interlocked.Add(ref counters.Queued, claimed.Count);
                // Small slices get the first decodes going after a few files rather than after a whole claim.
                foreach (var slice in claimed.Chunk(PrepareSlice))
                {
                    foreach (var item in await PrepareAsync(slice, writes, abort))
                    {
                        await ready.WriteAsync(item, abort);
                    }
                }
            }

            ready.TryComplete();
        }
        catch (Exception e)
        {
            ready.TryComplete(e);
        }
    }

    /// <summary>Hashes and inspects a claimed chunk in parallel; settles failures and known contents without the model.</summary>
    private async Task<List<IndexItem>> PrepareAsync(IReadOnlyList<WorkItem> claimed, ChannelWriter<IndexItem> writes, CancellationToken cancellationToken)
    {
        var items = claimed.Select(w => new IndexItem(w)).ToList();
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = pipelineOptions.Workers, CancellationToken = cancellationToken },
            (item, _) =>
            {
                Inspect(item);
                return ValueTask.CompletedTask;
            });

        var good = items.Where(i => i.Error is null).ToList();
        var known = (await storage.FindEmbeddedAsync(collection, good.Select(i => i.Hash), cancellationToken))
            .Select(Convert.ToHexString).ToHashSet(StringComparer.Ordinal);
        var forModel = new List<IndexItem>();
        foreach (var item in items)
        {
            if (item.Error is not null || known.Contains(item.HashKey))
            {
                item.ReleaseContent();
                await writes.WriteAsync(item, cancellationToken);
            }
            else if (!AttachToInFlight(item))
            {
                forModel.Add(item);
            }
            else
            {
                item.ReleaseContent();
            }
        }

        return forModel;
    }

    /// <summary>True when the same content is already on its way through the model: this path rides along with it.</summary>
    private bool AttachToInFlight(IndexItem item)
    {
        lock (inFlight)
        {
            if (inFlight.TryGetValue(item.HashKey, out var primary))
            {
                primary.Duplicates.Add(item);
                return true;
            }

            inFlight[item.HashKey] = item;
            return false;
        }
    }

    private void Inspect(IndexItem item)
    {
        try
        {
            item.Prepare(options.Decode);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever a hostile file makes a reader throw, it fails this file only.
            item.Error = e is IOException or UnauthorizedAccessException or ImageDecodeException or InvalidDataException
                ? e.Message
                : $"{item.Work.Path}: {e.GetType().Name}: {e.Message}";
        }
    }

    /// <summary>The pipeline's loader: decodes the bytes that were hashed, then hands their buffer back.</summary>
    private void LoadPixels(IndexItem item, Span<float> destination)
    {
        using var content = item.TakeContent();
        if (!options.Thumbnails)
        {
            session.Preprocessor.Preprocess(content.Span, destination, item.Work.Path);
            return;
        }

        item.Thumbnail = session.Preprocessor.PreprocessWithThumbnail(content.Span, destination, item.Work.Path, ThumbnailSize)
            ?? TryThumbnail(content.Span, item.Work.Path);
    }

    /// <summary>A preview is a nicety: an image whose preview cannot be made is still indexed, without one.</summary>
    private static byte[]? TryThumbnail(ReadOnlySpan<byte> bytes, string path)
    {
        try
        {
            return AssetInspector.Thumbnail(bytes, path, ThumbnailSize);
        }
        catch (ImageDecodeException)
        {
            return null;
        }
    }

    // ---- recording ----

    /// <summary>The single database writer: groups finished items into flushes of about two batches or one second.</summary>
    private async Task WriteAsync(ChannelReader<IndexItem> reader, CancellationToken cancellationToken)
    {
        var pending = new List<IndexItem>();
        var flushAt = pipelineOptions.BatchSize * 2;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            var deadline = DateTime.UtcNow + FlushInterval;
            while (pending.Count < flushAt && DateTime.UtcNow < deadline)
            {
                if (reader.TryRead(out var item))
                {
                    pending.Add(item);
                }
                else if (!await WaitAsync(reader, deadline, cancellationToken))
                {
                    break;
                }
            }

            await FlushAsync(pending, cancellationToken);
            pending.Clear();
        }
    }

    private static async Task<bool> WaitAsync(ChannelReader<IndexItem> reader, DateTime deadline, CancellationToken cancellationToken)
    {
        var remaining = deadline - DateTime.UtcNow;
        if (remaining <= TimeSpan.Zero)
        {
            return false;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(remaining);
        try
        {
            return await reader.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task FlushAsync(List<IndexItem> items, CancellationToken cancellationToken)
    {
        // Take each in-flight content out under the lock, so no later duplicate attaches to an item already recorded.
        var completed = new List<IndexItem>();
        var failed = new List<IndexItem>();
        lock (inFlight)
        {
            foreach (var item in items)
            {
                if (inFlight.TryGetValue(item.HashKey, out var primary) && ReferenceEquals(primary, item))
                {
                    inFlight.Remove(item.HashKey);
                }

                var group = item.Duplicates.Prepend(item).ToList();
                foreach (var duplicate in item.Duplicates)
                {
                    duplicate.Error ??= item.Error is null ? null : $"{duplicate.Work.Path}: same content as {item.Work.Path}, which failed: {item.Error}";
                }

                (item.Error is null ? completed : failed).AddRange(group);
            }
        }

        // Thumbnails and texts first: if we die before the transaction below, the assets stay pending and are redone.
        await storage.PutThumbnailsAsync(items.Where(i => i.Thumbnail is not null).Select(i => (i.Hash, i.Thumbnail!)).ToList(), cancellationToken);
        await storage.SetTextsAsync(completed.SelectMany(TextRows).ToList(), cancellationToken);

        var embeddings = items.Where(i => i.Embedding is not null).Select(i => new EmbeddingRow(i.Hash, i.Embedding!)).ToList();
        await storage.RecordResultsAsync(collection, completed.Select(i => i.ToResult()).ToList(), embeddings, cancellationToken);
        await storage.MarkFailedAsync(collection, failed.Select(i => (i.Work.AssetId, i.Error!)).ToList(), cancellationToken);

        Interlocked.Add(ref counters.Reused, completed.Count(i => i.Embedding is null));
        Interlocked.Add(ref counters.Failed, failed.Count);
    }

    /// <summary>One row per text kind: the table keeps one text of each kind per asset.</summary>
    private static IEnumerable<(long, TextItemKind, string)> TextRows(IndexItem item) =>
        item.Texts.GroupBy(t => t.Kind).Select(g => (item.Work.AssetId, g.Key, string.Join("\n", g.Select(t => t.Text).Distinct())));

    // ---- search index ----

    /// <summary>
    /// Keeping an HNSW index up to date row by row costs several times more than building it once, so a run that at
    /// least doubles the collection drops the index for the load (search stays correct meanwhile: an exact scan).
    /// </summary>
    private async Task DeferSearchIndexIfBulkAsync(CancellationToken cancellationToken)
    {
        var status = await storage.GetStatusAsync(collection, options.Lease, cancellationToken);
        if (status.Pending >= Math.Max(BulkLoadMinimum, indexedAtStart) && await storage.HasSearchIndexAsync(collection, cancellationToken))
        {
            await storage.DropSearchIndexAsync(collection, cancellationToken);
        }
    }

    /// <summary>Builds a missing search index once nobody is working on the collection any more (the last worker does it).</summary>
    private async Task<string> FinishSearchIndexAsync(CancellationToken cancellationToken)
    {
        if (await storage.HasSearchIndexAsync(collection, cancellationToken))
        {
            return "ready";
        }

        var status = await storage.GetStatusAsync(collection, options.Lease, cancellationToken);
        if (status.InProgress > 0)
        {
            return "absent: other workers are still indexing; the last one builds it";
        }

        stage = "building search index";
        var buildClock = Stopwatch.StartNew();
        await storage.EnsureSearchIndexAsync(collection, cancellationToken);
        return $"built in {buildClock.Elapsed.TotalSeconds:F1} s";
    }

    // ---- reporting ----

    private IndexingProgress Snapshot() => new(
        stage, Interlocked.Read(ref counters.Crawled), Interlocked.Read(ref counters.Queued),
        Interlocked.Read(ref counters.Embedded), Interlocked.Read(ref counters.Reused), Interlocked.Read(ref counters.Failed), clock.Elapsed);

    private IndexingSummary Summary(FileCrawler crawler, bool interrupted, string searchIndex) => new(
        collection.Name, collection.ModelId, counters.Crawled, counters.Added, counters.Changed, counters.Unchanged,
        counters.Embedded, counters.Reused, counters.Failed, counters.Removed,
        crawler.Problems.Select(p => $"{p.Path}: {p.Message}").ToList(), interrupted, clock.Elapsed.TotalSeconds, searchIndex);

    private sealed class Counters
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
    }
}
