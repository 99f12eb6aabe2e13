using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Core.Retrieval;

/// <summary>The hits of a search, best first, and the collection and model that produced them.</summary>
public sealed record SearchResults(Collection Collection, string ModelId, IReadOnlyList<SearchHit> Hits);
