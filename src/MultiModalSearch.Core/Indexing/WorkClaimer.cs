using System.Runtime.CompilerServices;
using System.Threading.Channels;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Imaging;
using MultiModalSearch.Models.Inference;

namespace MultiModalSearch.Core.Indexing;

/// <summary>
/// The claim half of a run: leases pending assets, reads, hashes and inspects them one claim ahead of the model, and
/// settles without the model what needs none (failures, contents already embedded, duplicates of a content in flight).
/// </summary>
internal sealed class WorkClaimer(
    IndexingStores stores, IContentProcessor processor, Collection collection, IndexingOptions options, PipelineOptions pipeline, string workerId,
    IndexingCounters counters, InFlightContents inFlight)
{
    private const int PrepareSlice = 8;

    /// <summary>
    /// Yields the claimed assets whose content still needs the model; the others go straight to <paramref name="writes"/>.
    /// Runs until the crawl is complete and the queue is empty, or <paramref name="stop"/>.
    /// </summary>
    public async IAsyncEnumerable<IndexItem> ClaimAsync(Task crawl, ChannelWriter<IndexItem> writes, CancellationToken stop, [EnumeratorCancellation] CancellationToken abort)
    {
        // Read files wait in memory until decoded: the queue below holds one claim (by default one batch, at most 64
        // files: 320 MB of 5 MB photos, in pooled buffers of the next power of two), plus the slice being read and the
        // few in the pipeline's work queue.
        var claimSize = options.ClaimSize > 0 ? options.ClaimSize : Math.Min(pipeline.BatchSize, 64);
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
                var claimed = await stores.Queue.ClaimAsync(collection, workerId, claimSize, options.Lease, abort);
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
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = pipeline.Workers, CancellationToken = cancellationToken },
            (item, _) =>
            {
                Inspect(item);
                return ValueTask.CompletedTask;
            });

        var good = items.Where(i => i.Error is null).ToList();
        var known = (await stores.Vectors.FindEmbeddedAsync(collection, good.Select(i => i.Hash), cancellationToken))
            .Select(Convert.ToHexString).ToHashSet(StringComparer.Ordinal);
        var forModel = new List<IndexItem>();
        foreach (var item in items)
        {
            if (item.Error is not null || known.Contains(item.HashKey))
            {
                item.ReleaseContent();
                await writes.WriteAsync(item, cancellationToken);
            }
            else if (!inFlight.TryAttach(item))
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

    private void Inspect(IndexItem item)
    {
        try
        {
            processor.Prepare(item);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever a hostile file makes a reader throw, it fails this file only.
            item.Error = e is IOException or UnauthorizedAccessException or ImageDecodeException or InvalidDataException
                ? e.Message
                : $"{item.Work.Path}: {e.GetType().Name}: {e.Message}";
        }
    }
}
