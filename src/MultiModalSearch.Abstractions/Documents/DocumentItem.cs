namespace MultiModalSearch.Abstractions.Documents;

/// <summary>
/// One piece of text in reading order.
/// </summary>
/// <param name="Index">Position in <see cref="ExtractedDocument.Items"/> (reading order across the document).</param>
/// <param name="HeadingLevel">1 for the largest headings; 0 for anything that is not a heading.</param>
/// <param name="Boxes">
/// The item's lines' boxes when it spans more than one region (a paragraph continued in the next column); empty when
/// <see cref="Provenance.Box"/> says it all.
/// </param>
public sealed record DocumentItem(int Index, DocumentItemKind Kind, string Text, int HeadingLevel, Provenance Provenance)
{
    public IReadOnlyList<BoundingBox> Boxes { get; init; } = [];
}
