using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Core.Retrieval;

/// <summary>
/// The hits of a search, best first, and the collection and model that produced them. <see cref="TruncatedQuery"/> is
/// set when the query text was longer than the model reads: its tokens and the model's limit.
/// </summary>
public sealed record SearchResults(Collection Collection, string ModelId, IReadOnlyList<SearchHit> Hits, (int Tokens, int Limit)? TruncatedQuery = null);
