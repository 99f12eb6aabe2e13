using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MultiModalSearch.Api.Observability;

/// <summary>
/// Gives every request an id (the client's X-Request-Id when it is a plain token, else the server's), returns it in
/// X-Request-Id, scopes every log line of the request with it, and logs one line per request with its status and time.
/// </summary>
internal sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    public const string Header = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var incoming = context.Request.Headers[Header].ToString();
        if (incoming.Length is > 0 and <= 64 && TokenPattern().IsMatch(incoming))
        {
            context.TraceIdentifier = incoming;
        }

        context.Response.Headers[Header] = context.TraceIdentifier;
        using var scope = logger.BeginScope("RequestId:{RequestId}", context.TraceIdentifier);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                var elapsedMs = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 2);
                var path = context.Request.Path.Value ?? "";
                LogRequest(logger, context.Request.Method, path, context.Response.StatusCode, elapsedMs);
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]+$")]
    private static partial Regex TokenPattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} -> {Status} in {ElapsedMs} ms")]
    private static partial void LogRequest(ILogger logger, string method, string path, int status, double elapsedMs);
}
