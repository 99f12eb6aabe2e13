namespace MultiModalSearch.Core.Retrieval;

/// <summary>
/// Reciprocal rank fusion: each list gives an item 1 / (k + rank), summed over the lists. Ranks rather than scores, so
/// cosine similarities and full-text ranks, which share no scale, combine without tuning; k = 60 is the value of the
/// paper (Cormack et al., 2009) that most systems use.
/// </summary>
internal static class ReciprocalRankFusion
{
    public const int K = 60;

    /// <summary>Fused scores by key; a key missing from a list gains nothing from it.</summary>
    public static Dictionary<string, double> Fuse(params IReadOnlyList<string>[] rankings)
    {
        var fused = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var ranking in rankings)
        {
            for (var rank = 0; rank < ranking.Count; rank++)
            {
                fused[ranking[rank]] = fused.GetValueOrDefault(ranking[rank]) + (1.0 / (K + rank + 1));
            }
        }

        return fused;
    }
}
