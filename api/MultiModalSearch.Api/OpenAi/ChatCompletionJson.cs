using System.Text.Json;
using Microsoft.Extensions.AI;

namespace MultiModalSearch.Api.OpenAi;

/// <summary>
/// The OpenAI chat-completions response shapes: a whole <c>chat.completion</c>, and the <c>chat.completion.chunk</c>
/// objects of a stream (a first chunk with the role, one per piece of text, one with the finish reason, and a usage
/// chunk with no choices when the client asked for it).
/// </summary>
internal sealed class ChatCompletionJson(string id, string model, long created)
{
    public static ChatCompletionJson For(string model) =>
        new("chatcmpl-" + Guid.NewGuid().ToString("N"), model, DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    public byte[] Completion(ChatResponse response) => Write(json =>
    {
        Header(json, "chat.completion");
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        json.WriteStartObject("message");
        json.WriteString("role", "assistant");
        json.WriteString("content", response.Text);
        json.WriteEndObject();
        json.WriteNull("logprobs");
        json.WriteString("finish_reason", FinishReason(response.FinishReason));
        json.WriteEndObject();
        json.WriteEndArray();
        Usage(json, response.Usage);
    });

    /// <param name="role">Whether this chunk opens the message (carries the role).</param>
    public byte[] Chunk(string? content, ChatFinishReason? finish, bool role = false) => Write(json =>
    {
        Header(json, "chat.completion.chunk");
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        json.WriteStartObject("delta");
        if (role)
        {
            json.WriteString("role", "assistant");
        }

        if (content is not null)
        {
            json.WriteString("content", content);
        }

        json.WriteEndObject();
        json.WriteNull("logprobs");
        if (finish is { } reason)
        {
            json.WriteString("finish_reason", FinishReason(reason));
        }
        else
        {
            json.WriteNull("finish_reason");
        }

        json.WriteEndObject();
        json.WriteEndArray();
    });

    public byte[] UsageChunk(UsageDetails? usage) => Write(json =>
    {
        Header(json, "chat.completion.chunk");
        json.WriteStartArray("choices");
        json.WriteEndArray();
        Usage(json, usage);
    });

    private void Header(Utf8JsonWriter json, string kind)
    {
        json.WriteString("id", id);
        json.WriteString("object", kind);
        json.WriteNumber("created", created);
        json.WriteString("model", model);
    }

    private static void Usage(Utf8JsonWriter json, UsageDetails? usage)
    {
        json.WriteStartObject("usage");
        var input = usage?.InputTokenCount ?? 0;
        var output = usage?.OutputTokenCount ?? 0;
        json.WriteNumber("prompt_tokens", input);
        json.WriteNumber("completion_tokens", output);
        json.WriteNumber("total_tokens", input + output);
        json.WriteEndObject();
    }

    private static string FinishReason(ChatFinishReason? reason) => reason == ChatFinishReason.Length ? "length" : "stop";

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
