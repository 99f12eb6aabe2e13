using MultiModalSearch.Abstractions.Assets;

namespace MultiModalSearch.Core.Inspection;

/// <summary>
/// Accumulates texts in discovery order, dropping repeats: tools like Lightroom write the same
/// caption to EXIF, IPTC and XMP, and indexing it three times would only skew ranking.
/// </summary>
internal sealed class TextCollector
{
    private readonly List<AssetText> texts = [];
    private readonly HashSet<string> seen = new(StringComparer.Ordinal);

    public IReadOnlyList<AssetText> Texts => texts;

    /// <summary>Adds <paramref name="text"/> when it is non-null and not already present (whitespace-insensitive).</summary>
    public void Add(TextItemKind kind, string? text)
    {
        if (text is null)
            return;
        if (seen.Add(MetadataText.CollapseWhitespace(text)))
            texts.Add(new AssetText(kind, text));
    }
}
