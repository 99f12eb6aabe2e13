using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MultiModalSearch.Tests.Browser;

/// <summary>
/// A stand-in for <c>POST /api/ask</c> (grounded answers are built elsewhere) that streams the agreed contract as
/// server-sent events: <c>sources</c>, then <c>token</c>s, then <c>done</c>; or <c>error</c> when the question
/// contains "fail". It pauses before <c>done</c> until the test releases it, so the test can see the answer half
/// written. Only the browser tests' own service instance maps it, ahead of any real route (order -1).
/// </summary>
public sealed class FakeAskEndpoint
{
    public const string Answer = "Dot draws directed graphs as hierarchies [1], as the figure shows [2].";

    private static readonly string[] Tokens = ["Dot draws ", "directed graphs", " as hierarchies [1]", ", as the figure shows [2]", " and [7]."];

    private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The URL of a real image of the service, shown as the figure's crop.</summary>
    public string FigureCropUrl { get; set; } = "";

    public List<JsonElement> Requests { get; } = [];

    public void Release() => release.TrySetResult();

    public void Map(WebApplication app) =>
        app.MapPost("/api/ask", HandleAsync).WithOrder(-1).AllowAnonymous();

    private async Task HandleAsync(HttpContext http)
    {
        var body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body);
        Requests.Add(body);
        if (!body.TryGetProperty("collection", out _) || !body.TryGetProperty("question", out var question))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsJsonAsync(new { title = "Bad request", status = 400, detail = "collection and question are required" }, JsonSerializerOptions.Web, "application/problem+json");
            return;
        }

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        await SendAsync(http, "sources", Sources());
        if (question.GetString()!.Contains("fail", StringComparison.OrdinalIgnoreCase))
        {
            await SendAsync(http, "error", new { type = "about:blank", title = "Answer failed", status = 503, detail = "the language model is not loaded" });
            return;
        }

        foreach (var token in Tokens)
        {
            await Task.Delay(100, http.RequestAborted);
            await SendAsync(http, "token", new { text = token });
        }

        await release.Task.WaitAsync(TimeSpan.FromMinutes(2), http.RequestAborted);
        await SendAsync(http, "done", new { answer = Answer, citations = (int[])[1, 2], removedCitations = (int[])[7], refused = false, extractive = false, singleFigure = false });
    }

    private object[] Sources() =>
    [
        new { n = 1, kind = "passage", documentId = "doc-dotguide", documentPath = "/docs/dotguide.pdf", page = 3,
              box = new { left = 72.0, top = 96.5, right = 540.0, bottom = 180.25 },
              text = "dot draws directed graphs as hierarchies; it runs in four main phases.", cropUrl = (string?)null, pageUrl = "/docs/dotguide.pdf#page=3" },
        new { n = 2, kind = "figure", documentId = "doc-dotguide", documentPath = "/docs/dotguide.pdf", page = 5,
              box = new { left = 100.0, top = 200.0, right = 400.0, bottom = 420.0 },
              text = "Figure 2: Drawing of a small graph", cropUrl = FigureCropUrl, pageUrl = "/docs/dotguide.pdf#page=5" },
        new { n = 3, kind = "passage", documentId = "doc-neato", documentPath = "/docs/neatoguide.pdf", page = 1,
              box = (object?)null, text = "neato draws undirected graphs.", cropUrl = (string?)null, pageUrl = "/docs/neatoguide.pdf#page=1" },
    ];

    private static async Task SendAsync(HttpContext http, string name, object data)
    {
        await http.Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data, JsonSerializerOptions.Web)}\n\n", http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
    }
}
