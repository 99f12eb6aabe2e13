using MultiModalSearch.Abstractions.Retrieval;

namespace MultiModalSearch.Core.Retrieval;

/// <summary>
/// One result: the content, its cosine similarity to the query, and what stage two made of it: the fused rank score
/// (hybrid), a reranker's score, whether a file name equals the query, and how many near-duplicates it stands for.
/// </summary>
public sealed record RankedContent(ContentSummary Content, double Score)
{
    public double? FusedScore { get; init; }

    public double? RerankScore { get; init; }

    public bool ExactFileName { get; init; }

    /// <summary>Contents folded into this one by the near-duplicate collapse.</summary>
    public int Duplicates { get; init; }

    internal float[]? Embedding { get; init; }
}
