using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Api.Contracts;
using MultiModalSearch.Core.Assets;
using MultiModalSearch.Core.Retrieval;

namespace MultiModalSearch.Api.Endpoints;

/// <summary>Results as JSON, with the content's URLs (signed when the collection is private, so an &lt;img&gt; can load them).</summary>
internal static class ResultMapper
{
    public static async Task<SearchResponse> ToResponseAsync(string collection, CollectionVisibility visibility, RetrievalResult found, bool debug, AssetService assets, CancellationToken cancellationToken)
    {
        var results = new List<SearchResultDto>(found.Results.Count);
        foreach (var result in found.Results)
        {
            var content = result.Content;
            var id = ContentId.Format(content.ContentHash);
            var query = await QueryAsync(assets, content.ContentHash, visibility, cancellationToken);
            results.Add(new SearchResultDto(id, content.Paths[0], content.Paths, Math.Round(result.Score, 6),
                $"/api/assets/{id}/thumbnail{query}", $"/api/assets/{id}/original{query}",
                content.Width, content.Height, content.TakenAt, content.MediaType, Camera(content.CameraMake, content.CameraModel),
                result.Duplicates > 0 ? result.Duplicates : null, result.FusedScore is { } fused ? Math.Round(fused, 6) : null,
                result.RerankScore, result.ExactFileName ? true : null));
        }

        return new SearchResponse(collection, results, debug ? Timings(found.Diagnostics) : null);
    }

    /// <summary>"?token=..." for a content of a private collection, else nothing.</summary>
    public static async Task<string> QueryAsync(AssetService assets, byte[] hash, CollectionVisibility visibility, CancellationToken cancellationToken) =>
        await assets.TokenForAsync(hash, visibility, cancellationToken) is { } token ? "?token=" + token : "";

    public static string? Camera(string? make, string? model) =>
        (make, model) switch
        {
            (null, null) => null,
            (null, _) => model,
            (_, null) => make,
            _ when model!.StartsWith(make!, StringComparison.OrdinalIgnoreCase) => model,
            _ => $"{make} {model}",
        };

    private static SearchTimingsDto Timings(RetrievalDiagnostics d) =>
        new(d.StageMilliseconds.ToDictionary(s => s.Key, s => s.Value), Math.Round(d.TotalMilliseconds, 3), d.VectorCandidates, d.KeywordCandidates, d.Plan, d.EfSearch, d.CutoffAt);
}
