namespace MultiModalSearch.Training;

/// <summary>
/// The data order of one epoch: a permutation of the images and which caption each contributes. Derived only from
/// (seed, epoch) with .NET's seeded Random, whose sequence is stable across runtimes (HashCode is not: it is salted
/// per process), so runs are reproducible and a resumed run sees the same order.
/// </summary>
public sealed record EpochPlan(int[] Order, int[] Captions)
{
    public static EpochPlan Create(int seed, int epoch, IReadOnlyList<int> captionCounts)
    {
        var random = new Random(unchecked((seed * 1_000_003) + epoch) & int.MaxValue);
        var order = Enumerable.Range(0, captionCounts.Count).ToArray();
        random.Shuffle(order);
        var captions = order.Select(i => random.Next(captionCounts[i])).ToArray();
        return new EpochPlan(order, captions);
    }

    /// <summary>Full batches only, except that a data set smaller than one batch still yields one batch.</summary>
    public int BatchCount(int batchSize) => Math.Max(1, Order.Length / batchSize);

    public IEnumerable<(int Image, int Caption)> Batch(int index, int batchSize)
    {
        var start = index * batchSize;
        var end = Math.Min(Order.Length, start + batchSize);
        for (var i = start; i < end; i++)
        {
            yield return (Order[i], Captions[i]);
        }
    }
}
