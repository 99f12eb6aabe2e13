using MultiModalSearch.Abstractions.Documents;

namespace MultiModalSearch.Abstractions.DocumentRetrieval;

/// <summary>
/// One retrieved source for a question, with where it lies: the document, its physical 1-based page and the box on
/// that page (points, top-left origin). <see cref="Text"/> is the passage, or for a figure its caption (and nearby text).
/// </summary>
/// <param name="Id">Stable id of the passage or figure within its collection.</param>
/// <param name="DocumentId">The document's id (what <c>GET /api/documents/{id}/pages/{n}</c> takes).</param>
/// <param name="DocumentPath">The document's path, for display.</param>
/// <param name="HeadingPath">The headings above the passage, outermost first (may be empty).</param>
/// <param name="Score">The final stage's score: higher is more relevant; comparable within one result only.</param>
public sealed record DocumentHit(
    DocumentHitKind Kind,
    long Id,
    long DocumentId,
    string DocumentPath,
    int Page,
    BoundingBox? Box,
    string Text,
    IReadOnlyList<string> HeadingPath,
    double Score);
