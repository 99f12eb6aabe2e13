using Microsoft.AspNetCore.Http.HttpResults;
using MultiModalSearch.Api.Contracts;
using MultiModalSearch.Api.Security;
using MultiModalSearch.Core.Access;

namespace MultiModalSearch.Api.Endpoints;

/// <summary><c>/api/collections</c>: what the caller may search.</summary>
internal static class CollectionEndpoints
{
    public static IEndpointRouteBuilder MapCollectionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/collections").WithTags("Collections");
        group.MapGet("/", ListAsync)
            .WithSummary("The collections the caller may read: public ones, and the one its API key opens")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    private static async Task<Ok<CollectionsResponse>> ListAsync(HttpContext http, CollectionAccess access, CancellationToken cancellationToken)
    {
        var readable = await access.ListReadableAsync(ApiKeyAuthentication.CallerOf(http), cancellationToken);
        return TypedResults.Ok(new CollectionsResponse(readable.Select(e => new CollectionDto(
            e.Collection.Name, e.Collection.ModelId, e.Collection.EmbeddingDim, e.Collection.Precision.ToString().ToLowerInvariant(),
            e.Visibility.ToString().ToLowerInvariant(), e.Contents, e.Paths, e.Collection.CreatedAt)).ToList()));
    }
}
