using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace MultiModalSearch.Api.Endpoints;

/// <summary>
/// Writes a <c>text/event-stream</c> response by hand: each event is <c>event: NAME</c> (omitted for unnamed ones) and one
/// <c>data:</c> line of compact JSON, flushed at once so a client sees every token as it is generated.
/// </summary>
internal sealed class ServerSentEvents
{
    private readonly HttpResponse response;

    private ServerSentEvents(HttpResponse response) => this.response = response;

    public static ServerSentEvents Start(HttpContext http)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        // Proxies such as nginx would otherwise hold the stream back until it ends.
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        return new ServerSentEvents(response);
    }

    /// <param name="data">One line of data: compact JSON (never holds a raw newline) or a literal such as [DONE].</param>
    public async Task WriteAsync(string? name, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var head = name is null ? "data: " : $"event: {name}\ndata: ";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(head), cancellationToken);
        await response.Body.WriteAsync(data, cancellationToken);
        await response.Body.WriteAsync("\n\n"u8.ToArray(), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
