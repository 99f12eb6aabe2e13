using System.Collections.Concurrent;
using System.Diagnostics;
using MultiModalSearch.Abstractions.Retrieval;
using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Core.Retrieval;

/// <summary>
/// About how many contents each collection holds, asked of the store at most once per <c>refresh</c> per collection:
/// the search width follows it, and a stale figure only costs a little recall or speed until the next refresh.
/// </summary>
internal sealed class CollectionSizes(IRetrievalStore store, TimeSpan refresh)
{
    private readonly ConcurrentDictionary<int, (long Size, long AskedAt)> known = new();

    public async Task<long> SizeAsync(Collection collection, CancellationToken cancellationToken)
    {
        if (known.TryGetValue(collection.Id, out var entry) && Stopwatch.GetElapsedTime(entry.AskedAt) < refresh)
        {
            return entry.Size;
        }

        var size = await store.ApproximateSizeAsync(collection, cancellationToken);
        known[collection.Id] = (size, Stopwatch.GetTimestamp());
        return size;
    }
}
