namespace MultiModalSearch.Abstractions.Retrieval;

/// <summary>
/// Stage one of a search: the <see cref="Limit"/> nearest contents that match <see cref="Filter"/>.
/// <see cref="EfSearch"/> is the HNSW search width (1-1000).
/// </summary>
public sealed record CandidateQuery(float[] Vector, int Limit, int EfSearch, SearchFilter Filter, bool WithEmbeddings = false);
