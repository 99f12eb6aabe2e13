namespace MultiModalSearch.Abstractions.Assets;

/// <summary>
/// One indexed path of a content, with what the indexer recorded about the file (UTC times). <see cref="Path"/> is for
/// display; <see cref="PathBytes"/> is the file name as the file system has it (it need not be UTF-8).
/// </summary>
public sealed record ContentLocation(
    string Collection,
    long AssetId,
    string Path,
    long Bytes,
    DateTime Modified,
    DateTime? IndexedAt,
    string? MediaType,
    int? Width,
    int? Height,
    DateTime? TakenAt,
    string? CameraMake,
    string? CameraModel,
    double? GpsLat,
    double? GpsLon,
    byte[] PathBytes);
