using MultiModalSearch.Abstractions.Assets;

namespace MultiModalSearch.Core.Inspection;

/// <summary>
/// Accumulates texts in discovery order, dropping repeats: tools like Lightroom write the same
/// caption to EXIF, IPTC and XMP, and indexing it three times would only skew ranking.
/// </summary>
internal sealed class TextCollector
{
    private readonly List<AssetText> _texts = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public IReadOnlyList<AssetText> Texts => _texts;

    /// <summary>Adds <paramref name="text"/> when it is non-null and not already present (whitespace-insensitive).</summary>
    public void Add(TextItemKind kind, string? text)
    {
        if (text is null)
            return;
        if (_seen.Add(MetadataText.CollapseWhitespace(text)))
            _texts.Add(new AssetText(kind, text));
    }
}
