using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using MultiModalSearch.Abstractions.Errors;
using MultiModalSearch.Api.Contracts;
using MultiModalSearch.Api.Observability;
using MultiModalSearch.Api.Security;
using MultiModalSearch.Api.Uploads;
using MultiModalSearch.Core.Access;
using MultiModalSearch.Core.Assets;
using MultiModalSearch.Core.Retrieval;

namespace MultiModalSearch.Api.Endpoints;

/// <summary><c>/api/search</c>: text or asset to image, uploaded image to image, image to text.</summary>
internal static class SearchEndpoints
{
    public static IEndpointRouteBuilder MapSearchEndpoints(this IEndpointRouteBuilder app, ServiceOptions options)
    {
        var group = app.MapGroup("/api/search").WithTags("Search")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/", SearchAsync)
            .WithSummary("Search a collection by text or by one of its assets (exactly one), with filters and stage-two options")
            .WithMetadata(new RequestSizeLimitAttribute(options.MaxJsonBytes));
        group.MapPost("/image", SearchByImageAsync)
            .WithSummary("Search a collection by an uploaded image: multipart field 'file', or the raw body with an image content type")
            .Accepts<IFormFile>("multipart/form-data", "image/*", "application/octet-stream")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithMetadata(new RequestSizeLimitAttribute(options.MaxUploadBytes));
        group.MapPost("/texts", RankTextsAsync)
            .WithSummary("Image to text: the collection's text items ranked for one of its assets (JSON) or an uploaded image (?collection=&k=)")
            .Accepts<TextsBody>("application/json", "multipart/form-data", "image/*", "application/octet-stream")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithMetadata(new RequestSizeLimitAttribute(options.MaxUploadBytes));
        return app;
    }

    private static async Task<Ok<SearchResponse>> SearchAsync(SearchBody body, HttpContext http, CollectionAccess access, RetrievalService retrieval,
        AssetService assets, RetrievalOptions defaults, ILogger<RetrievalService> logger, CancellationToken cancellationToken)
    {
        var (collection, visibility) = await access.ReadableAsync(RequestMapper.RequireCollection(body.Collection), ApiKeyAuthentication.CallerOf(http), cancellationToken);
        var found = await retrieval.SearchAsync(new RetrievalRequest
        {
            Collection = collection,
            Text = body.Text,
            AssetId = body.AssetId is null ? null : ContentId.Parse(body.AssetId, "asset_id"),
            K = body.K,
            Offset = body.Offset,
            Filter = RequestMapper.Filter(body.Filters),
            Rerank = RequestMapper.Rerank(body.Rerank, defaults),
            AutoCutoff = RequestMapper.Cutoff(body.Cutoff),
            Order = RequestMapper.Sort(body.Sort),
        }, cancellationToken);
        SearchLog.Write(logger, collection.Name, found.Diagnostics);
        return TypedResults.Ok(await ResultMapper.ToResponseAsync(collection.Name, visibility, found, body.Debug, assets, cancellationToken));
    }

    private static async Task<Ok<SearchResponse>> SearchByImageAsync(HttpContext http, [FromQuery] string? collection, [FromQuery] int? k, [FromQuery] int? offset, [FromQuery] bool? debug,
        CollectionAccess access, RetrievalService retrieval, AssetService assets, IOptions<ServiceOptions> options, ILogger<RetrievalService> logger, CancellationToken cancellationToken)
    {
        var (found, visibility) = await access.ReadableAsync(RequestMapper.RequireCollection(collection), ApiKeyAuthentication.CallerOf(http), cancellationToken);
        var (bytes, name) = await UploadReader.ReadAsync(http.Request, options.Value.MaxUploadBytes, cancellationToken);
        var result = await retrieval.SearchAsync(new RetrievalRequest { Collection = found, Image = bytes, ImageName = name, K = k ?? 20, Offset = offset ?? 0 }, cancellationToken);
        SearchLog.Write(logger, found.Name, result.Diagnostics);
        return TypedResults.Ok(await ResultMapper.ToResponseAsync(found.Name, visibility, result, debug == true, assets, cancellationToken));
    }

    private static async Task<Ok<TextsResponse>> RankTextsAsync(HttpContext http, [FromQuery] string? collection, [FromQuery] int? k,
        CollectionAccess access, RetrievalService retrieval, IOptions<ServiceOptions> options, CancellationToken cancellationToken)
    {
        TextRankingRequest request;
        var caller = ApiKeyAuthentication.CallerOf(http);
        if (http.Request.HasJsonContentType())
        {
            var body = await http.Request.ReadFromJsonAsync<TextsBody>(cancellationToken) ?? throw new InvalidSettingException("body", "is empty: send {\"collection\", \"assetId\", \"k\"}");
            var (found, _) = await access.ReadableAsync(RequestMapper.RequireCollection(body.Collection), caller, cancellationToken);
            request = new TextRankingRequest
            {
                Collection = found,
                AssetId = ContentId.Parse(body.AssetId ?? throw new InvalidSettingException("asset_id", "is required (or upload an image)"), "asset_id"),
                K = body.K,
            };
        }
        else
        {
            var (found, _) = await access.ReadableAsync(RequestMapper.RequireCollection(collection), caller, cancellationToken);
            var (bytes, name) = await UploadReader.ReadAsync(http.Request, options.Value.MaxUploadBytes, cancellationToken);
            request = new TextRankingRequest { Collection = found, Image = bytes, ImageName = name, K = k ?? 10 };
        }

        var texts = await retrieval.RankTextsAsync(request, cancellationToken);
        return TypedResults.Ok(new TextsResponse(request.Collection.Name,
            texts.Select(t => new TextMatchDto(t.Text, t.Kind, ContentId.Format(t.ContentHash), t.Path, Math.Round(t.Score, 6))).ToList()));
    }
}
