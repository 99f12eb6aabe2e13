using MultiModalSearch.Abstractions.DocumentRetrieval;

namespace MultiModalSearch.Core.Answers;

/// <summary>
/// Numbers the retrieved sources in rank order and keeps as many as fit the context budget: passages as text; figures
/// as their crop image while the generator reads images and the image allowance lasts, else as their caption. A source
/// too long on its own is shortened at a word; the first source is always kept (shortened to the budget if need be).
/// </summary>
public static class SourcePacker
{
    /// <summary>Tokens for a source's delimiters and attributes.</summary>
    private const int SourceOverheadTokens = 24;

    public static async Task<IReadOnlyList<AnswerSource>> PackAsync(IReadOnlyList<DocumentHit> hits, AnswerOptions options,
        Func<DocumentHit, CancellationToken, Task<byte[]?>> cropOf, CancellationToken cancellationToken = default)
    {
        var sources = new List<AnswerSource>();
        var left = options.ContextTokens;
        var images = 0;
        foreach (var hit in hits)
        {
            var text = Shorten(hit.Text, options.MaxSourceCharacters);
            byte[]? image = null;
            if (hit.Kind == DocumentHitKind.Figure && options.SendFigureImages && images < options.MaxImages
                && options.ImageTokens + SourceOverheadTokens + AnswerOptions.EstimateTokens(text) <= left)
            {
                image = await cropOf(hit, cancellationToken);
            }

            var cost = SourceOverheadTokens + AnswerOptions.EstimateTokens(text) + (image is null ? 0 : options.ImageTokens);
            if (cost > left)
            {
                if (sources.Count > 0)
                {
                    break;
                }

                text = Shorten(text, Math.Max(50, (left - SourceOverheadTokens) * 4));
                cost = left;
            }

            images += image is null ? 0 : 1;
            left -= cost;
            sources.Add(new AnswerSource(sources.Count + 1, hit, text, image));
        }

        return sources;
    }

    /// <summary>The text cut to at most <paramref name="maxCharacters"/> at a word boundary, marked with an ellipsis.</summary>
    public static string Shorten(string text, int maxCharacters)
    {
        var trimmed = text.Trim();
        if (trimmed.Length <= maxCharacters)
        {
            return trimmed;
        }

        var cut = trimmed.LastIndexOf(' ', maxCharacters - 1);
        return trimmed[..(cut > maxCharacters / 2 ? cut : maxCharacters - 1)].TrimEnd() + "…";
    }
}
