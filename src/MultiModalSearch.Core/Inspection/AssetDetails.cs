using MultiModalSearch.Abstractions.Assets;

namespace MultiModalSearch.Core.Inspection;

/// <summary>
/// What the indexer stores about one image besides its embedding. Width/Height are the upright
/// size (EXIF orientation applied), so they match what a viewer shows.
/// </summary>
/// <param name="MediaType">MIME type of the container, e.g. "image/jpeg".</param>
/// <param name="Width">Upright width in pixels.</param>
/// <param name="Height">Upright height in pixels.</param>
/// <param name="Orientation">EXIF orientation 1..8 (1 when absent).</param>
/// <param name="TakenAt">Camera wall-clock time (DateTimeKind.Unspecified): EXIF DateTimeOriginal, else DateTimeDigitized, else DateTime.</param>
/// <param name="CameraMake">Trimmed EXIF Make, null when empty.</param>
/// <param name="CameraModel">Trimmed EXIF Model, null when empty.</param>
/// <param name="GpsLatitude">Decimal degrees, south negative; null when absent or invalid.</param>
/// <param name="GpsLongitude">Decimal degrees, west negative; null when absent or invalid.</param>
/// <param name="Texts">Human-written texts embedded in the file, de-duplicated.</param>
public sealed record AssetDetails(
    string MediaType,
    int Width,
    int Height,
    short Orientation,
    DateTime? TakenAt,
    string? CameraMake,
    string? CameraModel,
    double? GpsLatitude,
    double? GpsLongitude,
    IReadOnlyList<AssetText> Texts);
