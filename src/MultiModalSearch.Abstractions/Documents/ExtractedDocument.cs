namespace MultiModalSearch.Abstractions.Documents;

/// <summary>
/// Everything extracted from one document: its pages, its text items in reading order, its figures and captions.
/// </summary>
/// <param name="Path">The file it was read from (full path).</param>
/// <param name="Title">The PDF title, the first heading, or the HTML title; null if none.</param>
/// <param name="Warnings">Things the extractor bounded or skipped (too many paths on a page, an image it could not read), one line each.</param>
public sealed record ExtractedDocument(
    string Path,
    DocumentFormat Format,
    string? Title,
    IReadOnlyList<DocumentPage> Pages,
    IReadOnlyList<DocumentItem> Items,
    IReadOnlyList<DocumentFigure> Figures,
    IReadOnlyList<string> Warnings)
{
    public IEnumerable<DocumentCaption> Captions =>
        Figures.Select(f => f.Caption).OfType<DocumentCaption>().Distinct();
}
