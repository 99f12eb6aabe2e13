using System.Text.RegularExpressions;

namespace MultiModalSearch.Core.DocumentRetrieval;

/// <summary>
/// Maximal marginal relevance over texts, with word-set (Jaccard) similarity: it needs no embedding, so it works in every
/// mode, full text only included, and it is what "near-identical" means for passages (overlapping chunks, a paragraph
/// repeated in two manuals).
/// </summary>
internal static partial class LexicalDiversity
{
    public static List<T> Reorder<T>(IReadOnlyList<T> ranked, Func<T, double> relevance, Func<T, string> text, double lambda, int count)
    {
        if (ranked.Count == 0)
        {
            return [];
        }

        // Relevance on [0, 1] so that it weighs against a similarity on [0, 1] whatever the scale of the scores: positive
        // scores (fused ranks) as a share of the best, others (reranker logits) stretched between the worst and the best.
        var scores = ranked.Select(relevance).ToArray();
        var (low, high) = (scores.Min(), scores.Max());
        var normalized = low > 0
            ? scores.Select(s => s / high).ToArray()
            : scores.Select(s => high > low ? (s - low) / (high - low) : 1.0).ToArray();
        var words = ranked.Select(r => Words(text(r))).ToArray();
        var closest = new double[ranked.Count];
        var taken = new bool[ranked.Count];
        var picked = new List<T>(Math.Min(count, ranked.Count));
        while (picked.Count < count && picked.Count < ranked.Count)
        {
            var best = -1;
            var bestValue = double.NegativeInfinity;
            for (var i = 0; i < ranked.Count; i++)
            {
                var value = taken[i] ? double.NegativeInfinity : (lambda * normalized[i]) - ((1 - lambda) * closest[i]);
                if (!taken[i] && value > bestValue)
                {
                    (best, bestValue) = (i, value);
                }
            }

            taken[best] = true;
            picked.Add(ranked[best]);
            for (var i = 0; i < ranked.Count; i++)
            {
                closest[i] = Math.Max(closest[i], Jaccard(words[i], words[best]));
            }
        }

        return picked;
    }

    internal static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }

        var common = a.Count(b.Contains);
        return (double)common / (a.Count + b.Count - common);
    }

    private static HashSet<string> Words(string text) =>
        WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\w+")]
    private static partial Regex WordPattern();
}
