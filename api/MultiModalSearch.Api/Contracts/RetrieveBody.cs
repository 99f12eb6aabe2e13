namespace MultiModalSearch.Api.Contracts;

/// <summary><c>POST /api/retrieve</c>: the passages and figures of a document collection that answer <c>question</c>, at most <c>k</c>.</summary>
public sealed record RetrieveBody(string? Collection, string? Question, int K = 10);
