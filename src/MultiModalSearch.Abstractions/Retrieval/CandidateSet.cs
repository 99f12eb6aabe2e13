namespace MultiModalSearch.Abstractions.Retrieval;

/// <summary>Stage one's answer, best first, and how it was found.</summary>
/// <param name="Plan">"hnsw" (the index alone), "hnsw-iterative" (the index, scanning on past filtered-out rows) or "exact" (every matching row).</param>
public sealed record CandidateSet(IReadOnlyList<VectorCandidate> Candidates, string Plan);
