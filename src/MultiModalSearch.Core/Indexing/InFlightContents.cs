namespace MultiModalSearch.Core.Indexing;

/// <summary>
/// Contents on their way through the model in this run, by hash: a second path with the same content rides along with
/// the first instead of being embedded again, and is recorded with it.
/// </summary>
internal sealed class InFlightContents
{
    private readonly Dictionary<string, IndexItem> items = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>True when the same content is already in flight: <paramref name="item"/> is attached to it.</summary>
    public bool TryAttach(IndexItem item)
    {
        lock (gate)
        {
            if (items.TryGetValue(item.HashKey, out var primary))
            {
                primary.Duplicates.Add(item);
                return true;
            }

            items[item.HashKey] = item;
            return false;
        }
    }

    /// <summary>
    /// Takes finished items out under the lock, so that no later duplicate attaches to an item already being recorded,
    /// and splits them, with their duplicates, into completed and failed groups.
    /// </summary>
    public (List<IndexItem> Completed, List<IndexItem> Failed) Settle(IReadOnlyList<IndexItem> finished)
    {
        var completed = new List<IndexItem>();
        var failed = new List<IndexItem>();
        lock (gate)
        {
            foreach (var item in finished)
            {
                if (items.TryGetValue(item.HashKey, out var primary) && ReferenceEquals(primary, item))
                {
                    items.Remove(item.HashKey);
                }

                foreach (var duplicate in item.Duplicates)
                {
                    duplicate.Error ??= item.Error is null ? null : $"{duplicate.Work.Path}: same content as {item.Work.Path}, which failed: {item.Error}";
                }

                (item.Error is null ? completed : failed).AddRange(item.Duplicates.Prepend(item));
            }
        }

        return (completed, failed);
    }
}
