namespace MultiModalSearch.Api.Contracts;

/// <summary>
/// The sources found, best first. <c>belowFloor</c>: nothing cleared the relevance floor (the documents do not seem to
/// answer; <c>hits</c> is empty). <c>stagesRun</c>: which of "full-text", "embedder", "reranker", "figures" ran.
/// </summary>
public sealed record RetrieveResponse(IReadOnlyList<DocumentHitDto> Hits, bool BelowFloor, IReadOnlyList<string> StagesRun);
