using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using MultiModalSearch.Abstractions.DocumentRetrieval;
using MultiModalSearch.Abstractions.Errors;
using MultiModalSearch.Api.Contracts;
using MultiModalSearch.Api.Security;
using MultiModalSearch.Core.Access;
using MultiModalSearch.Core.DocumentRetrieval;

namespace MultiModalSearch.Api.Endpoints;

/// <summary>
/// <c>POST /api/retrieve</c> (sources for a question), <c>GET /api/documents/{id}/pages/{n}</c> (the page image, the
/// hit's box drawn on request) and <c>GET /api/documents/figures/{id}/crop</c>. Every route names its collection and
/// obeys its access rules: a private collection does not exist without one of its keys.
/// </summary>
internal static class DocumentEndpoints
{
    public static IEndpointRouteBuilder MapDocumentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/retrieve", RetrieveAsync).WithTags("Documents")
            .WithSummary("The passages and figures of a document collection that answer a question")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests);
        var documents = app.MapGroup("/api/documents").WithTags("Documents")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests);
        documents.MapGet("/{id:long}/pages/{page:int}", PageAsync).WithSummary("A page as WebP (rendered once, then cached); box=l,t,r,b draws a box (points, top-left origin)")
            .Produces(StatusCodes.Status200OK, contentType: "image/webp");
        documents.MapGet("/figures/{id:long}/crop", CropAsync).WithSummary("A figure's stored WebP crop")
            .Produces(StatusCodes.Status200OK, contentType: "image/webp");
        return app;
    }

    private static async Task<Ok<RetrieveResponse>> RetrieveAsync(RetrieveBody body, HttpContext http, CollectionAccess access, IDocumentRetriever retriever, CancellationToken cancellationToken)
    {
        var (collection, _) = await access.ReadableAsync(RequestMapper.RequireCollection(body.Collection), ApiKeyAuthentication.CallerOf(http), cancellationToken);
        if (string.IsNullOrWhiteSpace(body.Question))
        {
            throw new InvalidSettingException("question", "is required: ask something");
        }

        if (body.K is < 1 or > 100)
        {
            throw new InvalidSettingException("k", $"must be between 1 and 100 (got {body.K})");
        }

        var found = await retriever.RetrieveAsync(new DocumentQuestion(collection.Name, body.Question, body.K), cancellationToken);
        var query = "?collection=" + Uri.EscapeDataString(collection.Name);
        return TypedResults.Ok(new RetrieveResponse(found.Hits.Select(h => Dto(h, query)).ToList(), found.BelowFloor, found.StagesRun));
    }

    private static DocumentHitDto Dto(DocumentHit hit, string query)
    {
        double[]? box = hit.Box is { } b ? [Math.Round(b.Left, 1), Math.Round(b.Top, 1), Math.Round(b.Right, 1), Math.Round(b.Bottom, 1)] : null;
        var boxQuery = box is null ? "" : "&box=" + string.Join(",", box.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        return new DocumentHitDto(
            hit.Kind == DocumentHitKind.Passage ? "passage" : "figure", hit.Id, hit.DocumentId, hit.DocumentPath, hit.Page, box, hit.Text, hit.HeadingPath, hit.Score,
            hit.Kind == DocumentHitKind.Figure ? $"/api/documents/figures/{hit.Id}/crop{query}" : null,
            $"/api/documents/{hit.DocumentId}/pages/{hit.Page}{query}{boxQuery}");
    }

    private static async Task<FileContentHttpResult> PageAsync(long id, int page, [FromQuery] string? collection, [FromQuery] string? box, HttpContext http,
        CollectionAccess access, DocumentPages pages, CancellationToken cancellationToken)
    {
        var (found, visibility) = await access.ReadableAsync(RequestMapper.RequireCollection(collection), ApiKeyAuthentication.CallerOf(http), cancellationToken);
        var webp = await pages.PageAsync(found, id, page, PageBoxes.Parse(box), cancellationToken);
        http.Response.Headers.CacheControl = visibility == Abstractions.Access.CollectionVisibility.Public ? "public, max-age=3600" : "private, max-age=3600";
        return TypedResults.Bytes(webp, "image/webp");
    }

    private static async Task<FileContentHttpResult> CropAsync(long id, [FromQuery] string? collection, HttpContext http,
        CollectionAccess access, IDocumentRetriever retriever, CancellationToken cancellationToken)
    {
        var (found, visibility) = await access.ReadableAsync(RequestMapper.RequireCollection(collection), ApiKeyAuthentication.CallerOf(http), cancellationToken);
        var crop = await retriever.FigureCropAsync(found.Name, id, cancellationToken) ?? throw new DocumentNotFoundException($"no figure {id} in collection '{found.Name}'");
        http.Response.Headers.CacheControl = visibility == Abstractions.Access.CollectionVisibility.Public ? "public, max-age=3600" : "private, max-age=3600";
        return TypedResults.Bytes(crop, "image/webp");
    }
}
