namespace MultiModalSearch.Api.Contracts;

/// <summary>The body of <c>POST /api/ask</c>.</summary>
/// <param name="K">The most sources retrieved (1-50).</param>
public sealed record AskBody(string? Collection, string? Question, int K = 8);
