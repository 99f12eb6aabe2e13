namespace MultiModalSearch.Api.Contracts;

public sealed record SearchResponse(string Collection, IReadOnlyList<SearchResultDto> Results, SearchTimingsDto? Timings);
