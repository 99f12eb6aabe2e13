using System.Threading.Channels;
using MultiModalSearch.Abstractions.Assets;
using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Core.Indexing;

/// <summary>
/// The single writer of a run: groups finished items into flushes of about two batches or one second, each recorded in
/// one transaction, so a killed run loses at most its unrecorded flush (which the next run redoes).
/// </summary>
internal sealed class ResultWriter(IndexingStores stores, IContentProcessor processor, Collection collection, int batchSize, IndexingCounters counters, InFlightContents inFlight)
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    public async Task RunAsync(ChannelReader<IndexItem> reader, CancellationToken cancellationToken)
    {
        var pending = new List<IndexItem>();
        var flushAt = batchSize * 2;
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
        var (completed, failed) = inFlight.Settle(items);

        // Thumbnails and texts first: if we die before the transaction below, the assets stay pending and are redone.
        await stores.Thumbnails.PutThumbnailsAsync(items.Where(i => i.Thumbnail is not null).Select(i => (i.Hash, i.Thumbnail!)).ToList(), cancellationToken);
        await stores.Texts.SetTextsAsync(completed.SelectMany(TextRows).ToList(), cancellationToken);
        await processor.WriteAsync(collection, items.Where(i => i.Error is null && i.Embedding is not null).ToList(), cancellationToken);

        var embeddings = items.Where(i => i.Embedding is not null).Select(i => new EmbeddingRow(i.Hash, i.Embedding!)).ToList();
        var requeued = await stores.Queue.RecordResultsAsync(collection, completed.Select(i => i.ToResult()).ToList(), embeddings, cancellationToken);
        await stores.Queue.MarkFailedAsync(collection, failed.Select(i => (i.Work.AssetId, i.Error!)).ToList(), cancellationToken);

        // A requeued asset (its content's embedding was pruned meanwhile) comes back through a later claim.
        Interlocked.Add(ref counters.Reused, completed.Count(i => i.Embedding is null) - requeued.Count);
        Interlocked.Add(ref counters.Requeued, requeued.Count);
        Interlocked.Add(ref counters.Failed, failed.Count);
    }

    /// <summary>One row per text kind: the table keeps one text of each kind per asset.</summary>
    private static IEnumerable<(long, TextItemKind, string)> TextRows(IndexItem item) =>
        item.Texts.GroupBy(t => t.Kind).Select(g => (item.Work.AssetId, g.Key, string.Join("\n", g.Select(t => t.Text).Distinct())));
}
