namespace MultiModalSearch.Core.Retrieval;

/// <summary>
/// The adaptive cutoff: where the similarities, sorted, fall off a cliff. No flat threshold works across queries (a
/// good CLIP match scores 0.3 for one text and 0.25 for another), but the relevant results of one query sit together
/// above a gap that is much wider than the gaps between neighbours. The cut is the widest gap when it is at least
/// <see cref="Significance"/> times the mean of the others; without such a gap nothing is cut.
/// </summary>
internal static class RelevanceCutoff
{
    public const double Significance = 3.0;
    private const double MinimumGap = 0.005;

    /// <summary>How many of the <paramref name="descending"/> scores to keep.</summary>
    public static int Count(IReadOnlyList<double> descending)
    {
        if (descending.Count < 3)
        {
            return descending.Count;
        }

        var widest = 0;
        var gaps = new double[descending.Count - 1];
        for (var i = 0; i < gaps.Length; i++)
        {
            gaps[i] = descending[i] - descending[i + 1];
            if (gaps[i] > gaps[widest])
            {
                widest = i;
            }
        }

        var others = (gaps.Sum() - gaps[widest]) / Math.Max(1, gaps.Length - 1);
        return gaps[widest] >= MinimumGap && gaps[widest] >= Significance * others ? widest + 1 : descending.Count;
    }
}
