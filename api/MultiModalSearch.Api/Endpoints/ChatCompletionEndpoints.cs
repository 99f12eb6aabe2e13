using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.AI;
using MultiModalSearch.Abstractions.Errors;
using MultiModalSearch.Api.OpenAi;
using MultiModalSearch.Api.Problems;
using MultiModalSearch.Core.Answers;
using MultiModalSearch.Hosting.Chat;

namespace MultiModalSearch.Api.Endpoints;

/// <summary>
/// <c>POST /v1/chat/completions</c>: the in-process model in the OpenAI format, so any OpenAI client (and our own
/// OpenAI backend) can use it: whole responses, or server-sent <c>chat.completion.chunk</c> events ending with
/// <c>data: [DONE]</c>; images as data URLs in content parts.
/// </summary>
internal static class ChatCompletionEndpoints
{
    public static IEndpointRouteBuilder MapChatCompletionEndpoints(this IEndpointRouteBuilder app, ServiceOptions options)
    {
        app.MapPost("/v1/chat/completions", CompleteAsync).WithTags("Chat")
            .WithSummary("OpenAI-compatible chat completions with the in-process model (set with --llm-model); stream: true for server-sent events")
            .Accepts<JsonElement>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithMetadata(new RequestSizeLimitAttribute(options.MaxUploadBytes))
            // A generation takes as long as it takes; a client that goes away cancels it.
            .DisableRequestTimeout();
        return app;
    }

    private static async Task CompleteAsync(HttpContext http, IServiceProvider services, CancellationToken cancellationToken)
    {
        var model = services.GetService<IChatClient>();
        if (model?.GetService(typeof(DeferredChatClient)) is not DeferredChatClient local)
        {
            throw new AnswersUnavailableException(model is null
                ? "no model runs in this service: start it with a LLaVA model (--llm-model or MMS_LLM_MODEL)"
                : "this service generates through another server (--llm-endpoint); send chat requests to that server");
        }

        using var body = await JsonDocument.ParseAsync(http.Request.Body, default, cancellationToken);
        var request = ChatCompletionRequestReader.Read(body.RootElement);
        var json = ChatCompletionJson.For(local.ModelId);
        try
        {
            if (!request.Stream)
            {
                var response = await local.GetResponseAsync(request.Messages, request.Options, cancellationToken);
                http.Response.ContentType = "application/json";
                await http.Response.Body.WriteAsync(json.Completion(response), cancellationToken);
                return;
            }

            await StreamAsync(http, local, request, json, cancellationToken);
        }
        catch (NotSupportedException unsupported)
        {
            throw new InvalidSettingException("messages", unsupported.Message);
        }
    }

    private static async Task StreamAsync(HttpContext http, DeferredChatClient model, ChatCompletionRequest request, ChatCompletionJson json, CancellationToken cancellationToken)
    {
        // The first update is awaited before the response starts, so a refused request still gets its problem details.
        await using var updates = model.GetStreamingResponseAsync(request.Messages, request.Options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var more = await updates.MoveNextAsync();
        var events = ServerSentEvents.Start(http);
        await events.WriteAsync(null, json.Chunk("", null, role: true), cancellationToken);
        UsageDetails? usage = null;
        ChatFinishReason? finish = null;
        try
        {
            for (; more; more = await updates.MoveNextAsync())
            {
                var update = updates.Current;
                usage = update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details ?? usage;
                finish = update.FinishReason ?? finish;
                if (update.Text.Length > 0)
                {
                    await events.WriteAsync(null, json.Chunk(update.Text, null), cancellationToken);
                }
            }
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            // Too late for a status code: OpenAI's streaming error shape, and no [DONE], so a client sees the stream failed.
            var problem = ApiExceptionHandler.ProblemFor(e, http);
            http.RequestServices.GetRequiredService<ILogger<ChatCompletionJson>>().LogError(e, "chat completion stream of request {RequestId} failed", http.TraceIdentifier);
            await events.WriteAsync(null, JsonSerializer.SerializeToUtf8Bytes(new { error = new { message = problem.Detail, type = problem.Title, code = problem.Status } }), CancellationToken.None);
            return;
        }

        await events.WriteAsync(null, json.Chunk(null, finish ?? ChatFinishReason.Stop), cancellationToken);
        if (request.IncludeUsage)
        {
            await events.WriteAsync(null, json.UsageChunk(usage), cancellationToken);
        }

        await events.WriteAsync(null, "[DONE]"u8.ToArray(), cancellationToken);
    }
}
