namespace MultiModalSearch.Abstractions.Documents;

/// <summary>
/// Where an item came from, so that a citation is a lookup: the physical page (1-based, the n-th page of the file,
/// whatever number is printed on it), the box on that page (PDF points, top-left origin, see <see cref="BoundingBox"/>),
/// and for text formats the character span in the source. Documents without pages (Markdown, HTML, plain text) are one
/// page, number 1, and have no boxes.
/// </summary>
public sealed record Provenance(int Page, BoundingBox? Box, SourceSpan? Span = null);
