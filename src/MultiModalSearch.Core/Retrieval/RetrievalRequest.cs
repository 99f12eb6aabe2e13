using MultiModalSearch.Abstractions.Retrieval;
using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Core.Retrieval;

/// <summary>
/// A search in one collection (already checked readable by the caller) by exactly one of a text, a content of the
/// collection (<see cref="AssetId"/>, its SHA-256) or an encoded image.
/// </summary>
public sealed record RetrievalRequest
{
    public required Collection Collection { get; init; }

    public string? Text { get; init; }

    public byte[]? AssetId { get; init; }

    public ReadOnlyMemory<byte>? Image { get; init; }

    /// <summary>Names the image in error messages.</summary>
    public string ImageName { get; init; } = "<upload>";

    public int K { get; init; } = 20;

    public int Offset { get; init; }

    public SearchFilter Filter { get; init; } = SearchFilter.None;

    public RerankOptions Rerank { get; init; } = RerankOptions.Default;

    /// <summary>Stop where the scores fall away instead of at a fixed k (k stays the most returned).</summary>
    public bool AutoCutoff { get; init; }

    public ResultOrder Order { get; init; } = ResultOrder.Relevance;
}
