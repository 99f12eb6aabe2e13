namespace MultiModalSearch.Api.Contracts;

/// <summary>
/// A content: its metadata (from its first indexed path that has each field), every indexed path in the collections
/// the caller may read, and their text items.
/// </summary>
public sealed record AssetDto(
    string Id,
    IReadOnlyList<string> Collections,
    IReadOnlyList<AssetPathDto> Paths,
    IReadOnlyList<AssetTextDto> Texts,
    int? Width,
    int? Height,
    string? MediaType,
    DateTime? TakenAt,
    string? CameraMake,
    string? CameraModel,
    double? Latitude,
    double? Longitude,
    string ThumbnailUrl,
    string OriginalUrl,
    string SimilarUrl);
