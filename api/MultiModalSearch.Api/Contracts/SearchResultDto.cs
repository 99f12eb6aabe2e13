namespace MultiModalSearch.Api.Contracts;

/// <summary>
/// One result: <c>id</c> is the content id (SHA-256 of the file; one result per distinct content), <c>path</c> its first
/// indexed path and <c>paths</c> all of them, <c>score</c> the cosine similarity to the query.
/// </summary>
public sealed record SearchResultDto(
    string Id,
    string Path,
    IReadOnlyList<string> Paths,
    double Score,
    string ThumbnailUrl,
    string OriginalUrl,
    int? Width,
    int? Height,
    DateTime? TakenAt,
    string? MediaType,
    string? Camera,
    int? Duplicates,
    double? FusedScore,
    double? RerankScore,
    bool? ExactFileName);
