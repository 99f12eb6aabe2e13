using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Core.Retrieval;

/// <summary>Image to text: a collection's text items ranked for one of its contents or for an encoded image.</summary>
public sealed record TextRankingRequest
{
    public required Collection Collection { get; init; }

    public byte[]? AssetId { get; init; }

    public ReadOnlyMemory<byte>? Image { get; init; }

    public string ImageName { get; init; } = "<upload>";

    public int K { get; init; } = 10;
}
