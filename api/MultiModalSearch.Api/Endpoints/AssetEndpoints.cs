using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Api.Contracts;
using MultiModalSearch.Api.Observability;
using MultiModalSearch.Api.Security;
using MultiModalSearch.Core.Assets;
using MultiModalSearch.Core.Retrieval;

namespace MultiModalSearch.Api.Endpoints;

/// <summary>
/// <c>/api/assets/{id}</c>: a content by its id (the SHA-256 of the file). Its thumbnail and original never change for
/// an id, so both are sent with the id as ETag and cached as immutable.
/// </summary>
internal static class AssetEndpoints
{
    private const string Immutable = "max-age=31536000, immutable";

    public static IEndpointRouteBuilder MapAssetEndpoints(this IEndpointRouteBuilder app, ServiceOptions options)
    {
        var group = app.MapGroup("/api/assets/{id}").WithTags("Assets")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("/", DetailsAsync).WithSummary("Metadata, every indexed path of the content and its text items");
        group.MapGet("/thumbnail", ThumbnailAsync).WithSummary("The stored WebP preview (ETag, cached as immutable)")
            .Produces(StatusCodes.Status200OK, contentType: "image/webp").Produces(StatusCodes.Status304NotModified);
        group.MapGet("/original", OriginalAsync).WithSummary("The file itself (Range requests), while an indexed path still holds it")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream").Produces(StatusCodes.Status206PartialContent).Produces(StatusCodes.Status304NotModified);
        group.MapGet("/similar", SimilarAsync).WithSummary("Contents that look like this one, in a collection holding it");
        group.MapPut("/caption", SetCaptionAsync).WithSummary("Sets the caption of the content's paths in a collection (needs a write key)")
            .ProducesProblem(StatusCodes.Status403Forbidden).WithMetadata(new RequestSizeLimitAttribute(options.MaxJsonBytes));
        return app;
    }

    private static async Task<Ok<AssetDto>> DetailsAsync(string id, [FromQuery] string? collection, HttpContext http, AssetService assets, CancellationToken cancellationToken)
    {
        var hash = ContentId.Parse(id);
        var view = await assets.DetailsAsync(hash, ApiKeyAuthentication.CallerOf(http), collection, cancellationToken);
        var query = await ResultMapper.QueryAsync(assets, hash, view.IsPublic ? CollectionVisibility.Public : CollectionVisibility.Private, cancellationToken);
        T? First<T>(Func<Abstractions.Assets.ContentLocation, T?> field) => view.Locations.Select(field).FirstOrDefault(v => v is not null);
        var formatted = ContentId.Format(hash);
        return TypedResults.Ok(new AssetDto(formatted,
            view.Collections.Select(c => c.Collection.Name).ToList(),
            view.Locations.Select(l => new AssetPathDto(l.Collection, l.Path, l.Bytes, l.Modified, l.IndexedAt)).ToList(),
            view.Texts.Select(t => new AssetTextDto(t.Collection, t.Path, t.Kind.ToString().ToLowerInvariant(), t.Text)).ToList(),
            First(l => l.Width), First(l => l.Height), First(l => l.MediaType), First(l => l.TakenAt), First(l => l.CameraMake), First(l => l.CameraModel),
            First(l => l.GpsLat), First(l => l.GpsLon),
            $"/api/assets/{formatted}/thumbnail{query}", $"/api/assets/{formatted}/original{query}", $"/api/assets/{formatted}/similar"));
    }

    private static async Task<FileContentHttpResult> ThumbnailAsync(string id, [FromQuery] string? token, HttpContext http, AssetService assets, CancellationToken cancellationToken)
    {
        var hash = ContentId.Parse(id);
        var thumbnail = await assets.ThumbnailAsync(hash, ApiKeyAuthentication.CallerOf(http), token, cancellationToken);
        // Shared caches may keep what anyone can see; a private collection's preview stays in the browser's own cache.
        http.Response.Headers.CacheControl = (thumbnail.IsPublic ? "public, " : "private, ") + Immutable;
        return TypedResults.Bytes(thumbnail.Webp, "image/webp", entityTag: ETag(hash));
    }

    private static async Task<FileStreamHttpResult> OriginalAsync(string id, [FromQuery] string? token, HttpContext http, AssetService assets, CancellationToken cancellationToken)
    {
        var hash = ContentId.Parse(id);
        var file = await assets.OriginalAsync(hash, ApiKeyAuthentication.CallerOf(http), token, cancellationToken);
        http.Response.Headers.CacheControl = "private, " + Immutable;
        // Never let a browser run what a file says it is (an SVG or HTML among photos): no sniffing, a sandboxed document.
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";
        return TypedResults.Stream(file.Content, file.MediaType, lastModified: file.Modified, entityTag: ETag(hash), enableRangeProcessing: true);
    }

    private static async Task<Ok<SearchResponse>> SimilarAsync(string id, [FromQuery] int? k, [FromQuery] string? collection, HttpContext http,
        AssetService assets, ILogger<RetrievalService> logger, CancellationToken cancellationToken)
    {
        var hash = ContentId.Parse(id);
        var caller = ApiKeyAuthentication.CallerOf(http);
        var view = await assets.DetailsAsync(hash, caller, collection, cancellationToken);
        var found = await assets.SimilarAsync(hash, caller, view.Collections[0].Collection.Name, k ?? 20, cancellationToken);
        SearchLog.Write(logger, view.Collections[0].Collection.Name, found.Diagnostics);
        return TypedResults.Ok(await ResultMapper.ToResponseAsync(view.Collections[0].Collection.Name, view.Collections[0].Visibility, found, false, assets, cancellationToken));
    }

    private static async Task<NoContent> SetCaptionAsync(string id, CaptionBody body, HttpContext http, AssetService assets, CancellationToken cancellationToken)
    {
        await assets.SetCaptionAsync(ContentId.Parse(id), ApiKeyAuthentication.CallerOf(http), RequestMapper.RequireCollection(body.Collection), body.Text ?? "", cancellationToken);
        return TypedResults.NoContent();
    }

    private static EntityTagHeaderValue ETag(byte[] hash) => new($"\"{ContentId.Format(hash)}\"");
}
