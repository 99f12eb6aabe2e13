using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Abstractions.DocumentRetrieval;
using MultiModalSearch.Api.Contracts;
using MultiModalSearch.Api.Problems;
using MultiModalSearch.Api.Security;
using MultiModalSearch.Core.Access;
using MultiModalSearch.Core.Answers;
using MultiModalSearch.Core.Assets;
using MultiModalSearch.Core.Retrieval;

namespace MultiModalSearch.Api.Endpoints;

/// <summary>
/// <c>POST /api/ask</c>: a grounded answer as server-sent events: <c>sources</c> (the numbered sources, once),
/// <c>token</c> (the text as it is generated), <c>done</c> (the whole answer and its checked citations), or
/// <c>error</c> (problem details) if it fails after the stream began. <c>GET /api/ask/crops/...</c> serves the figure
/// crops the sources point to. Private collections need a key that reads them, as everywhere.
/// </summary>
internal static class AskEndpoints
{
    /// <summary>Serialises the events' data: camelCase, nulls written (the page relies on "box": null, "cropUrl": null).</summary>
    private static readonly JsonSerializerOptions EventJson = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapAskEndpoints(this IEndpointRouteBuilder app, ServiceOptions options)
    {
        var group = app.MapGroup("/api/ask").WithTags("Ask")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/", AskAsync)
            .WithSummary("Answer a question from a document collection, with citations: server-sent events sources, token..., done (or error)")
            .Accepts<AskBody>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithMetadata(new RequestSizeLimitAttribute(options.MaxJsonBytes))
            .DisableRequestTimeout();
        group.MapGet("/crops/{collection}/{figureId:long}", CropAsync)
            .WithSummary("The WebP crop of a figure source (signed with ?token= for private collections)")
            .Produces(StatusCodes.Status200OK, contentType: "image/webp");
        return app;
    }

    private static async Task AskAsync(AskBody body, HttpContext http, CollectionAccess access, GroundedAnswerService answers, UrlSigner signer,
        CancellationToken cancellationToken)
    {
        var (collection, visibility) = await access.ReadableAsync(RequestMapper.RequireCollection(body.Collection), ApiKeyAuthentication.CallerOf(http), cancellationToken);
        var request = new AnswerRequest(collection.Name, body.Question ?? "", body.K);
        // Retrieval runs before the response starts, so a bad request or a missing piece is a plain problem response.
        await using var events = answers.AnswerAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var more = await events.MoveNextAsync();
        var stream = ServerSentEvents.Start(http);
        try
        {
            for (; more; more = await events.MoveNextAsync())
            {
                var (name, data) = events.Current switch
                {
                    AnswerSourcesEvent sources => ("sources", (object)await SourcesAsync(collection.Name, visibility, sources.Sources, signer, cancellationToken)),
                    AnswerTokenEvent token => ("token", new AskTokenDto(token.Text)),
                    AnswerDoneEvent done => ("done", new AskDoneDto(done.Outcome.Answer, done.Outcome.Citations, done.Outcome.RemovedCitations, done.Outcome.Refused, done.Outcome.Extractive, done.Outcome.SingleFigure)),
                    var other => throw new InvalidOperationException($"unknown answer event {other.GetType().Name}"),
                };
                await stream.WriteAsync(name, JsonSerializer.SerializeToUtf8Bytes(data, EventJson), cancellationToken);
            }
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            var problem = ApiExceptionHandler.ProblemFor(e, http);
            http.RequestServices.GetRequiredService<ILogger<GroundedAnswerService>>().LogError(e, "answer stream of request {RequestId} failed", http.TraceIdentifier);
            await stream.WriteAsync("error", JsonSerializer.SerializeToUtf8Bytes(problem, EventJson), CancellationToken.None);
        }
    }

    private static async Task<IResult> CropAsync(string collection, long figureId, [FromQuery] string? token, HttpContext http, CollectionAccess access,
        IServiceProvider services, UrlSigner signer, CancellationToken cancellationToken)
    {
        if (!await signer.VerifyAsync(CropKey(collection, figureId), token, cancellationToken))
        {
            await access.ReadableAsync(collection, ApiKeyAuthentication.CallerOf(http), cancellationToken);
        }

        var retriever = services.GetService<IDocumentRetriever>() ?? throw new AnswersUnavailableException("document retrieval is not set up in this installation");
        var crop = await retriever.FigureCropAsync(collection, figureId, cancellationToken) ?? throw new ContentNotFoundException($"figure {figureId}");
        http.Response.Headers.CacheControl = "private, max-age=3600";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Bytes(crop, "image/webp");
    }

    private static async Task<List<AskSourceDto>> SourcesAsync(string collection, CollectionVisibility visibility, IReadOnlyList<AnswerSource> sources,
        UrlSigner signer, CancellationToken cancellationToken)
    {
        var list = new List<AskSourceDto>();
        foreach (var source in sources)
        {
            var hit = source.Hit;
            string? cropUrl = null;
            if (hit.Kind == DocumentHitKind.Figure)
            {
                cropUrl = $"/api/ask/crops/{Uri.EscapeDataString(collection)}/{hit.Id}";
                if (visibility == CollectionVisibility.Private)
                {
                    cropUrl += "?token=" + await signer.SignAsync(CropKey(collection, hit.Id), cancellationToken);
                }
            }

            list.Add(new AskSourceDto(source.N, hit.Kind == DocumentHitKind.Figure ? "figure" : "passage", hit.DocumentId, hit.DocumentPath, hit.Page,
                hit.Box is { } box ? new AskBoxDto(box.Left, box.Top, box.Right, box.Bottom) : null,
                hit.Text, cropUrl, PageUrl(collection, hit)));
        }

        return list;
    }

    /// <summary>What a crop URL's token signs: the collection and figure, so a token opens that one crop only.</summary>
    private static byte[] CropKey(string collection, long figureId) => SHA256.HashData(Encoding.UTF8.GetBytes($"figure-crop\n{collection}\n{figureId}"));

    /// <summary>The page viewer's address (DocumentEndpoints), with the hit's box drawn, as /api/retrieve gives it.</summary>
    private static string PageUrl(string collection, DocumentHit hit)
    {
        var url = $"/api/documents/{hit.DocumentId}/pages/{hit.Page}?collection={Uri.EscapeDataString(collection)}";
        return hit.Box is { } b
            ? url + "&box=" + string.Join(",", new[] { b.Left, b.Top, b.Right, b.Bottom }.Select(v => Math.Round(v, 1).ToString(System.Globalization.CultureInfo.InvariantCulture)))
            : url;
    }
}
