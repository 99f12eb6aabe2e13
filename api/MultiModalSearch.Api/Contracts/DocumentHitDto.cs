namespace MultiModalSearch.Api.Contracts;

/// <summary>
/// One source: <c>kind</c> "passage" or "figure"; <c>page</c> physical and 1-based; <c>box</c> [left, top, right, bottom]
/// in PDF points with a top-left origin (null for documents without pages); <c>text</c> the passage, or the figure's
/// caption and nearby text; <c>cropUrl</c> the figure's WebP crop; <c>pageUrl</c> the page image with the box drawn.
/// </summary>
public sealed record DocumentHitDto(
    string Kind,
    long Id,
    long DocumentId,
    string Document,
    int Page,
    IReadOnlyList<double>? Box,
    string Text,
    IReadOnlyList<string> HeadingPath,
    double Score,
    string? CropUrl,
    string PageUrl);
