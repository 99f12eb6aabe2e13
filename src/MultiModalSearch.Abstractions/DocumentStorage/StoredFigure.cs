using MultiModalSearch.Abstractions.Documents;

namespace MultiModalSearch.Abstractions.DocumentStorage;

/// <summary>
/// A figure as stored: its WebP crop (null when it has no image: a Markdown/HTML figure whose image is not a local file,
/// or a render that failed), the CLIP embedding of that crop, and the text embedding of its caption and surrounding text.
/// </summary>
public sealed record StoredFigure(DocumentFigure Figure, byte[]? CropWebp, int CropWidth, int CropHeight, float[]? ImageEmbedding, float[]? TextEmbedding)
{
    /// <summary>The text a figure is found by: caption, sub-caption, alt text, the words inside it and the text that refers to it.</summary>
    public string SearchText => string.Join("\n", new[] { Figure.Description, Figure.Text, Figure.ContextText }.Where(s => !string.IsNullOrWhiteSpace(s)));
}
