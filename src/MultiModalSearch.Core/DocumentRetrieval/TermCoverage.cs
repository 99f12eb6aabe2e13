using MultiModalSearch.Abstractions.DocumentStorage;

namespace MultiModalSearch.Core.DocumentRetrieval;

/// <summary>
/// How much of a question a text answers, by its words: the IDF-weighted share of the question's terms it holds. A term
/// no passage holds weighs most, so "tiff24nc" missing from a collection sinks every candidate, however many common
/// words ("default", "device") they share with the question.
/// </summary>
internal sealed class TermCoverage
{
    private readonly Dictionary<string, double> weights;
    private readonly double total;

    public TermCoverage(TermStatistics statistics)
    {
        weights = statistics.Terms.Distinct(StringComparer.Ordinal).ToDictionary(
            t => t,
            t => Math.Log((statistics.Total + 1.0) / ((statistics.DocumentFrequency.TryGetValue(t, out var df) ? df : 0) + 0.5)),
            StringComparer.Ordinal);
        total = weights.Values.Sum();
    }

    /// <summary>0 to 1; 0 for a question without terms.</summary>
    public double Of(IEnumerable<string> matchedTerms) =>
        total <= 0 ? 0 : matchedTerms.Distinct(StringComparer.Ordinal).Sum(t => weights.GetValueOrDefault(t)) / total;
}
