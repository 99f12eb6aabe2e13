namespace MultiModalSearch.Abstractions.Documents;

/// <summary>
/// A figure: a region of a page to be cut out as an image (PDF), or an image file a Markdown/HTML document shows.
/// </summary>
/// <param name="Index">Position in <see cref="ExtractedDocument.Figures"/>.</param>
/// <param name="Provenance">Page and region (PDF points, top-left origin); the region covers the drawing, not the caption.</param>
/// <param name="Caption">The numbered caption linked to it, or null. Two figures can share one caption.</param>
/// <param name="SubCaption">The figure's own part of a shared caption ("(a) Source profiles ..."), or null.</param>
/// <param name="Text">Text printed inside the region (labels of a diagram, a listing): searchable, not body text.</param>
/// <param name="ContextText">Body text that refers to the figure ("Figure 3 shows ...") or, failing that, the paragraph next to it.</param>
/// <param name="AltText">An HTML/Markdown image's alternative text.</param>
/// <param name="ImagePath">Full path of the image file a Markdown/HTML figure shows (local files only; never fetched).</param>
public sealed record DocumentFigure(
    int Index,
    FigureKind Kind,
    Provenance Provenance,
    DocumentCaption? Caption,
    string? SubCaption,
    string Text,
    string ContextText,
    string? AltText = null,
    string? ImagePath = null)
{
    /// <summary>Caption, sub-caption and alt text joined: the text that describes the figure.</summary>
    public string Description =>
        string.Join(" ", new[] { Caption?.Text, SubCaption, AltText }.Where(s => !string.IsNullOrWhiteSpace(s)));
}
