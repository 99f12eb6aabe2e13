using System.Text.RegularExpressions;

namespace MultiModalSearch.Core.Answers;

/// <summary>
/// Which figure a single-figure model (<see cref="AnswerOptions.SingleFigure"/>) looks at: the best source when it is
/// a figure, else the figure that goes with the best source, a passage: one from the same document whose nearby text
/// holds at least half of the passage's words (a figure's text is its caption and the text around it). Ranking among
/// figures alone is not trusted here: diversity reordering pushes down exactly the figure that repeats the best
/// passage's words, and a question about the text should not be answered by whichever figure ranked next.
/// </summary>
public static partial class SingleFigureChoice
{
    private const double MinimumSharedWords = 0.5;

    public static AnswerSource? Choose(IReadOnlyList<AnswerSource> sources)
    {
        if (sources.Count == 0 || sources[0].IsFigure)
        {
            return sources.Count == 0 ? null : sources[0];
        }

        var passage = sources[0];
        var words = Words(passage.Text);
        if (words.Count == 0)
        {
            return null;
        }

        return sources
            .Where(s => s.IsFigure && s.Hit.DocumentId == passage.Hit.DocumentId)
            .Select(s => (Figure: s, Shared: (double)words.Count(Words(s.Hit.Text).Contains) / words.Count))
            .Where(f => f.Shared >= MinimumSharedWords)
            .OrderByDescending(f => f.Shared).ThenBy(f => f.Figure.N)
            .Select(f => f.Figure)
            .FirstOrDefault();
    }

    private static HashSet<string> Words(string text) =>
        WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\p{L}{3,}")]
    private static partial Regex WordPattern();
}
