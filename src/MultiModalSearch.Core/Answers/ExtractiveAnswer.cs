using System.Globalization;
using System.Text;
using MultiModalSearch.Abstractions.DocumentRetrieval;

namespace MultiModalSearch.Core.Answers;

/// <summary>The answer without a generator: the top sources quoted with their citations, and a first line saying so.</summary>
public static class ExtractiveAnswer
{
    public const string Heading = "Extractive answer (no language model is configured): the most relevant passages, quoted.";

    public static AnswerOutcome Compose(IReadOnlyList<AnswerSource> sources, AnswerOptions options)
    {
        var text = new StringBuilder(Heading);
        var quoted = sources.Take(options.ExtractiveSources).ToList();
        foreach (var source in quoted)
        {
            var hit = source.Hit;
            var quote = SourcePacker.Shorten(hit.Text.ReplaceLineEndings(" "), options.ExtractiveQuoteCharacters);
            var what = hit.Kind == DocumentHitKind.Figure ? "Figure: " : "";
            text.Append(CultureInfo.InvariantCulture, $"\n\n[{source.N}] {what}\"{quote}\" ({Path.GetFileName(hit.DocumentPath)}, page {hit.Page})");
        }

        return new AnswerOutcome(text.ToString(), quoted.Select(s => s.N).ToList(), [], Refused: false, Extractive: true);
    }
}
