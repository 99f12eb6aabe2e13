namespace MultiModalSearch.Api.Contracts;

/// <summary>
/// <c>POST /api/search</c>: exactly one of <c>text</c> and <c>assetId</c>. <c>cutoff</c>: "auto" to stop where the scores
/// fall away; <c>sort</c>: "relevance" (default) or "takenAt"; <c>debug</c>: add per-stage timings and counts.
/// </summary>
public sealed record SearchBody(
    string? Collection,
    string? Text = null,
    string? AssetId = null,
    int K = 20,
    int Offset = 0,
    SearchFiltersDto? Filters = null,
    RerankDto? Rerank = null,
    string? Cutoff = null,
    string? Sort = null,
    bool Debug = false);
