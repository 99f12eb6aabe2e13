namespace MultiModalSearch.Abstractions.Storage;

/// <summary>
/// What a worker learnt about one asset. <see cref="ContentHash"/> is the SHA-256 of the file; its embedding
/// must already be stored (or be part of the same <c>RecordResultsAsync</c> call).
/// <see cref="ExifTakenAt"/> is the camera's wall-clock time: EXIF carries no zone, so it is stored without one.
/// </summary>
public sealed record AssetResult(
    long AssetId,
    byte[] ContentHash,
    string? MediaType = null,
    int? Width = null,
    int? Height = null,
    DateTime? ExifTakenAt = null,
    string? CameraMake = null,
    string? CameraModel = null,
    double? GpsLat = null,
    double? GpsLon = null,
    short? Orientation = null);
