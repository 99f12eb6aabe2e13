namespace MultiModalSearch.Abstractions.Retrieval;

/// <summary>
/// What a result shows of one content (<see cref="ContentHash"/>, the SHA-256 of the file) in one collection: every
/// indexed path holding it (sorted) and the metadata of the first one that has each field.
/// </summary>
public sealed record ContentSummary(
    byte[] ContentHash,
    IReadOnlyList<string> Paths,
    int? Width,
    int? Height,
    DateTime? TakenAt,
    string? MediaType,
    string? CameraMake,
    string? CameraModel);
