namespace MultiModalSearch.Core.Retrieval;

/// <summary>A page of results, best first (or by date, as asked), and how they were found.</summary>
public sealed record RetrievalResult(IReadOnlyList<RankedContent> Results, RetrievalDiagnostics Diagnostics);
