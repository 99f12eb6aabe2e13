using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using MultiModalSearch.Abstractions.Errors;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Core.Access;
using MultiModalSearch.Core.Answers;
using MultiModalSearch.Core.Retrieval;
using MultiModalSearch.Imaging;
using MultiModalSearch.Models.Resolution;
using MultiModalSearch.Storage.Postgres;
using Npgsql;

namespace MultiModalSearch.Api.Problems;

/// <summary>
/// Every exception becomes a problem-details response with the status that says whose fault it is and a one-line
/// message; never a stack trace. The library's typed errors map to 4xx; an unreachable database or model to 503;
/// anything unexpected to a plain 500 that only names the request id (the log has the rest).
/// </summary>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, extensions) = Describe(exception, context);
        if (status >= 500)
        {
            LogServerError(logger, exception, context.TraceIdentifier, status);
        }

        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        await ProblemResponses.WriteAsync(context, status, title, detail, extensions);
        return true;
    }

    /// <summary>The problem details an exception becomes, for errors that happen after a streamed response has begun.</summary>
    public static Microsoft.AspNetCore.Mvc.ProblemDetails ProblemFor(Exception exception, HttpContext context)
    {
        var (status, title, detail, extensions) = Describe(exception, context);
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach (var (key, value) in extensions ?? [])
        {
            problem.Extensions[key] = value;
        }

        problem.Extensions["requestId"] = context.TraceIdentifier;
        return problem;
    }

    private static (int Status, string Title, string Detail, Dictionary<string, object?>? Extensions) Describe(Exception exception, HttpContext context) => exception switch
    {
        InvalidSettingException setting => (400, "Invalid request", $"{ProblemResponses.FieldName(setting.Setting)} {setting.Message}",
            new() { ["field"] = ProblemResponses.FieldName(setting.Setting) }),
        CollectionNotFoundException missing => (404, "Not found", $"no collection '{missing.Collection}' (or it is private: send an API key that can read it)", null),
        ContentNotFoundException content => (404, "Not found", $"no asset '{content.Id}' where this caller may see it", null),
        Core.DocumentRetrieval.DocumentNotFoundException document => (404, "Not found", document.Message, null),
        AuthenticationRequiredException auth => (401, "Unauthorized", auth.Message, null),
        AccessDeniedException denied => (403, "Forbidden", denied.Message, null),
        ImageDecodeException image => (422, "Not a readable image", image.Message, null),
        MalformedUploadException upload => (400, "Invalid upload", upload.Message, null),
        Uploads.UnsupportedUploadException unsupported => (415, "Unsupported media type", unsupported.Message, null),
        BadHttpRequestException bad => DescribeBadRequest(bad),
        JsonException json => (400, "Invalid JSON", JsonMessage(json), null),
        OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "Client closed request", "the client went away", null),
        // Kestrel cancels the reads of bodies still arriving when the service stops; the request could not be finished.
        OperationCanceledException => (503, "Service unavailable", "the service is stopping and could not read the rest of the request; send it again", null),
        StorageUnavailableException or NpgsqlException or TimeoutException => (503, "Service unavailable", "the database cannot be reached; try again later", null),
        AnswersUnavailableException answers => (503, "Service unavailable", answers.Message, null),
        ModelNotAvailableException model => (503, "Service unavailable", $"the collection's model cannot be loaded: {model.Message}", null),
        _ => (500, "Internal error", $"an unexpected error occurred (request {context.TraceIdentifier}); it has been logged", null),
    };

    private static (int, string, string, Dictionary<string, object?>?) DescribeBadRequest(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            return (400, "Invalid JSON", JsonMessage(json), json.Path is { Length: > 1 } path ? new() { ["field"] = FieldOf(path) } : null);
        }

        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (413, "Payload too large", "the request body is larger than this endpoint accepts", null);
        }

        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return (415, "Unsupported media type", "send the body as application/json", null);
        }

        // "Failed to bind parameter "int? k" from "abc"." and the like: name the parameter, not the .NET type.
        var parameter = ParameterPattern().Match(bad.Message);
        return parameter.Success
            ? (400, "Invalid request", $"{parameter.Groups[1].Value} has a value of the wrong type or out of range", new() { ["field"] = parameter.Groups[1].Value })
            : (bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : 400, "Bad request", bad.StatusCode == 408 ? "the request was too slow" : "the request is malformed (missing or unreadable body?)", null);
    }

    private static string JsonMessage(JsonException json) =>
        json.Path is { Length: > 1 } path
            ? $"the JSON body is invalid at '{FieldOf(path)}': an unknown field, a value of the wrong type or out of range, or malformed JSON"
            : "the request body is not valid JSON (or not UTF-8)";

    private static string FieldOf(string path) => path.TrimStart('$', '.');

    [GeneratedRegex("parameter \"(?:[^\"]+ )?(\\w+)\"")]
    private static partial Regex ParameterPattern();

    [LoggerMessage(Level = LogLevel.Error, Message = "request {RequestId} failed with {Status}")]
    private static partial void LogServerError(ILogger logger, Exception exception, string requestId, int status);
}
