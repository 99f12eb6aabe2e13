using System.Diagnostics;
using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Core.Indexing;

/// <summary>
/// When a run drops and builds the collection's approximate search index. Keeping an HNSW index up to date row by row
/// costs several times more than building it once, so a run that at least doubles the collection drops the index for the
/// load (search stays correct meanwhile: an exact scan), and the last worker to finish builds it.
/// </summary>
internal sealed class SearchIndexLifecycle(IndexingStores stores, Collection collection, TimeSpan lease)
{
    private const long BulkLoadMinimum = 100;
    private long indexedAtStart;

    public async Task RememberStartAsync(CancellationToken cancellationToken) =>
        indexedAtStart = (await stores.Collections.GetStatusAsync(collection, lease, cancellationToken)).Indexed;

    /// <summary>After the crawl: drops the index when the pending work is a bulk load.</summary>
    public async Task DeferIfBulkAsync(CancellationToken cancellationToken)
    {
        var status = await stores.Collections.GetStatusAsync(collection, lease, cancellationToken);
        if (status.Pending >= Math.Max(BulkLoadMinimum, indexedAtStart) && await stores.Vectors.HasSearchIndexAsync(collection, cancellationToken))
        {
            await stores.Vectors.DropSearchIndexAsync(collection, cancellationToken);
        }
    }

    /// <summary>At the end of a complete run: builds a missing index once nobody is working on the collection any more.</summary>
    public async Task<SearchIndexOutcome> FinishAsync(Action onBuildStart, CancellationToken cancellationToken)
    {
        if (await stores.Vectors.HasSearchIndexAsync(collection, cancellationToken))
        {
            return new SearchIndexOutcome(SearchIndexState.Ready);
        }

        var status = await stores.Collections.GetStatusAsync(collection, lease, cancellationToken);
        if (status.InProgress > 0)
        {
            return new SearchIndexOutcome(SearchIndexState.AbsentOtherWorkersRunning);
        }

        onBuildStart();
        var clock = Stopwatch.StartNew();
        await stores.Vectors.EnsureSearchIndexAsync(collection, cancellationToken);
        return new SearchIndexOutcome(SearchIndexState.Built, clock.Elapsed.TotalSeconds);
    }

    /// <summary>After Ctrl+C the user wants out: a bulk load's index is built by the run that completes it.</summary>
    public async Task<SearchIndexOutcome> InterruptedAsync(CancellationToken cancellationToken) =>
        new(await stores.Vectors.HasSearchIndexAsync(collection, cancellationToken) ? SearchIndexState.Ready : SearchIndexState.AbsentInterrupted);
}
