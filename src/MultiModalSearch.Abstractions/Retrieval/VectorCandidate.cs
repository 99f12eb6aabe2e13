namespace MultiModalSearch.Abstractions.Retrieval;

/// <summary>
/// A content found near the query vector: its exact cosine distance as stored, its summary, and its embedding when
/// the caller asked for it (diversity and duplicate collapse compare candidates with each other).
/// </summary>
public sealed record VectorCandidate(ContentSummary Content, double Distance, float[]? Embedding)
{
    public double Similarity => 1 - Distance;
}
