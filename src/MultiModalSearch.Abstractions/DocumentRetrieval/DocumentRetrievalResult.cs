namespace MultiModalSearch.Abstractions.DocumentRetrieval;

/// <summary>
/// The sources found for a question, best first. Empty with <see cref="BelowFloor"/> set when nothing cleared the
/// relevance floor: the documents do not seem to hold an answer, and a caller should say so rather than guess.
/// </summary>
/// <param name="StagesRun">Which retrieval stages ran ("full-text", "embedder", "reranker", "figures"), so a caller can say what was searched.</param>
public sealed record DocumentRetrievalResult(IReadOnlyList<DocumentHit> Hits, bool BelowFloor, IReadOnlyList<string> StagesRun);
