namespace MultiModalSearch.Api.Contracts;

/// <summary>With <c>debug: true</c>: milliseconds per stage in the order they ran, candidate counts and the stage-one plan.</summary>
public sealed record SearchTimingsDto(
    IReadOnlyDictionary<string, double> StagesMs,
    double TotalMs,
    int VectorCandidates,
    int KeywordCandidates,
    string Plan,
    int EfSearch,
    int? CutoffAt);
