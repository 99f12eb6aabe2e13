namespace MultiModalSearch.Abstractions.Retrieval;

/// <summary>What a reranker sees of a candidate: its summary, its texts and, when stored, its embedding.</summary>
public sealed record RerankCandidate(ContentSummary Content, IReadOnlyList<string> Texts, float[]? Embedding);
