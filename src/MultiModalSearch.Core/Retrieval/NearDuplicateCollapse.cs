namespace MultiModalSearch.Core.Retrieval;

/// <summary>
/// Shows near-identical contents once (bursts, re-encodes, resized copies: different files, almost the same
/// embedding): walking the ranking best first, a result whose cosine to an already kept one reaches the threshold is
/// folded into it and counted there.
/// </summary>
internal static class NearDuplicateCollapse
{
    public const double DefaultThreshold = 0.95;

    public static List<RankedContent> Collapse(IReadOnlyList<RankedContent> ranked, double threshold)
    {
        var kept = new List<RankedContent>();
        foreach (var result in ranked)
        {
            var twin = result.Embedding is null ? -1 : kept.FindIndex(k => k.Embedding is not null && VectorMath.Cosine(k.Embedding, result.Embedding) >= threshold);
            if (twin < 0)
            {
                kept.Add(result);
            }
            else
            {
                kept[twin] = kept[twin] with { Duplicates = kept[twin].Duplicates + 1 + result.Duplicates };
            }
        }

        return kept;
    }
}
