namespace MultiModalSearch.Api.Contracts;

public sealed record CollectionsResponse(IReadOnlyList<CollectionDto> Collections);
