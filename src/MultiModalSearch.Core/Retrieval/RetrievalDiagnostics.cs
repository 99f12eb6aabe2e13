namespace MultiModalSearch.Core.Retrieval;

/// <summary>
/// How a search went: milliseconds per stage (in order), how many candidates each source gave, the stage-one plan
/// and search width. Logged for every request; returned with <c>debug: true</c>.
/// </summary>
public sealed record RetrievalDiagnostics(
    IReadOnlyList<KeyValuePair<string, double>> StageMilliseconds,
    int VectorCandidates,
    int KeywordCandidates,
    string Plan,
    int EfSearch,
    int? CutoffAt)
{
    public double TotalMilliseconds => StageMilliseconds.Sum(s => s.Value);
}
