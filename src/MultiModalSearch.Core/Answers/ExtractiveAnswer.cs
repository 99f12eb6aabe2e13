using System.Globalization;
using System.Text;
using MultiModalSearch.Abstractions.DocumentRetrieval;

namespace MultiModalSearch.Core.Answers;

/// <summary>The answer without a generator: the top sources quoted with their citations, and a first line saying so.</summary>
public static class ExtractiveAnswer
{
    public const string Heading = "Extractive answer (no language model is configured): the most relevant passages, quoted.";

    public const string MissingCropHeading = "Extractive answer (the configured model reads only a figure, and the crop of the figure that goes with the best source is missing): the most relevant passages, quoted.";

    public const string SingleFigureHeading = "Extractive answer (the configured model reads only a figure, and no figure goes with the best source): the most relevant passages, quoted.";

    public static AnswerOutcome Compose(IReadOnlyList<AnswerSource> sources, AnswerOptions options, string heading = Heading)
    {
        var text = new StringBuilder(heading);
        var quoted = sources.Take(options.ExtractiveSources).ToList();
        foreach (var source in quoted)
        {
            text.Append("\n\n").Append(Quote(source, options));
        }

        return new AnswerOutcome(text.ToString(), quoted.Select(s => s.N).ToList(), [], Refused: false, Extractive: true);
    }

    /// <summary>One source quoted with its citation: <c>[N] "text…" (file, page P)</c>.</summary>
    public static string Quote(AnswerSource source, AnswerOptions options)
    {
        var hit = source.Hit;
        var quote = SourcePacker.Shorten(hit.Text.ReplaceLineEndings(" "), options.ExtractiveQuoteCharacters);
        var what = hit.Kind == DocumentHitKind.Figure ? "Figure: " : "";
        return string.Create(CultureInfo.InvariantCulture, $"[{source.N}] {what}\"{quote}\" ({Path.GetFileName(hit.DocumentPath)}, page {hit.Page})");
    }
}
