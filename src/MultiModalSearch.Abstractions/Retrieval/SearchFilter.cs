namespace MultiModalSearch.Abstractions.Retrieval;

/// <summary>
/// Conditions on the indexed paths of a content; a content matches when at least one of its paths matches all of
/// them. Dates compare with the camera's wall-clock time (EXIF has no zone). Every field is optional.
/// </summary>
public sealed record SearchFilter
{
    public DateTime? TakenAfter { get; init; }

    public DateTime? TakenBefore { get; init; }

    /// <summary>Paths that start with this text (a folder: end it with '/').</summary>
    public string? PathPrefix { get; init; }

    /// <summary>The camera's make, model, or "make model", compared without regard to case.</summary>
    public string? Camera { get; init; }

    /// <summary>A media type ("image/jpeg") or its top-level type alone ("image").</summary>
    public string? MediaType { get; init; }

    public int? MinWidth { get; init; }

    public int? MinHeight { get; init; }

    public static SearchFilter None { get; } = new();

    public bool IsEmpty => this == None;
}
