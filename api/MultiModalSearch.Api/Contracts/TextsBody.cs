namespace MultiModalSearch.Api.Contracts;

/// <summary><c>POST /api/search/texts</c> with JSON: the collection's text items ranked for one of its contents.</summary>
public sealed record TextsBody(string? Collection, string? AssetId, int K = 10);
