using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Abstractions.Access;

/// <summary>A collection with its visibility and what it holds, for listings.</summary>
public sealed record CollectionEntry(Collection Collection, CollectionVisibility Visibility, long Contents, long Paths);
