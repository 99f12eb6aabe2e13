namespace MultiModalSearch.Api.Contracts;

public sealed record TextsResponse(string Collection, IReadOnlyList<TextMatchDto> Texts);
