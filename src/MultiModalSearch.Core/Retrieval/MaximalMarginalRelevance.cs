namespace MultiModalSearch.Core.Retrieval;

/// <summary>
/// Maximal marginal relevance (Carbonell and Goldstein, 1998): picks, one at a time, the result that best balances
/// its relevance against its similarity to those already picked: lambda * relevance - (1 - lambda) * max similarity.
/// Results without an embedding keep their place behind the diversified ones.
/// </summary>
internal static class MaximalMarginalRelevance
{
    public static List<RankedContent> Reorder(IReadOnlyList<RankedContent> ranked, double lambda, int count)
    {
        var pool = ranked.Where(r => r.Embedding is not null).ToList();
        var picked = new List<RankedContent>(Math.Min(count, pool.Count));
        // The most similar picked result so far, per pool entry: updated once per pick instead of recomputed.
        var closest = new double[pool.Count];
        Array.Fill(closest, double.NegativeInfinity);
        var taken = new bool[pool.Count];
        while (picked.Count < count && picked.Count < pool.Count)
        {
            var best = -1;
            var bestValue = double.NegativeInfinity;
            for (var i = 0; i < pool.Count; i++)
            {
                if (taken[i])
                {
                    continue;
                }

                var redundancy = picked.Count == 0 ? 0 : closest[i];
                var value = (lambda * pool[i].Score) - ((1 - lambda) * redundancy);
                if (value > bestValue)
                {
                    (best, bestValue) = (i, value);
                }
            }

            taken[best] = true;
            picked.Add(pool[best]);
            for (var i = 0; i < pool.Count; i++)
            {
                if (!taken[i])
                {
                    closest[i] = Math.Max(closest[i], VectorMath.Cosine(pool[i].Embedding!, pool[best].Embedding!));
                }
            }
        }

        picked.AddRange(ranked.Where(r => r.Embedding is null));
        return picked;
    }
}
