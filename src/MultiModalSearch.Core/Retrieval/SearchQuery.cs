namespace MultiModalSearch.Core.Retrieval;

/// <summary>A search in one collection by text or by an example image (exactly one of the two).</summary>
public sealed record SearchQuery
{
    public const int MaxK = 1000;

    public required string Collection { get; init; }

    public string? Text { get; init; }

    /// <summary>An encoded image (the bytes of a file or an upload).</summary>
    public ReadOnlyMemory<byte>? Image { get; init; }

    /// <summary>Names the image in error messages.</summary>
    public string ImageName { get; init; } = "<upload>";

    public int K { get; init; } = 10;
}
