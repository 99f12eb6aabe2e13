using System.Text.Json;
using Microsoft.Extensions.AI;
using MultiModalSearch.Abstractions.Chat;
using MultiModalSearch.Abstractions.Errors;

namespace MultiModalSearch.Api.OpenAi;

/// <summary>
/// Reads an OpenAI chat-completions request. Fields this service does not use (user, logprobs, ...) are ignored, as
/// OpenAI-compatible servers do; fields it cannot honour (n &gt; 1, tools, image URLs that are not data URLs) are
/// refused by name. No temperature means greedy decoding (OpenAI would sample at 1).
/// </summary>
internal static class ChatCompletionRequestReader
{
    public static ChatCompletionRequest Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidSettingException("body", "must be a JSON object with \"messages\"");
        }

        var options = new ChatOptions();
        string? model = null;
        var stream = false;
        var includeUsage = false;
        List<ChatMessage>? messages = null;
        foreach (var field in body.EnumerateObject())
        {
            var value = field.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            switch (field.Name)
            {
                case "model": model = String(value, "model"); break;
                case "messages": messages = Messages(value); break;
                case "max_tokens" or "max_completion_tokens": options.MaxOutputTokens = Int(value, field.Name, 1); break;
                case "temperature": options.Temperature = (float)Number(value, "temperature", 0, 2); break;
                case "top_p": options.TopP = (float)Number(value, "top_p", 0, 1); break;
                case "top_k": options.TopK = Int(value, "top_k", 0); break;
                case "seed": options.Seed = value.TryGetInt64(out var seed) ? seed : throw Invalid("seed", "must be an integer"); break;
                case "frequency_penalty": options.FrequencyPenalty = (float)Number(value, field.Name, -2, 2); break;
                case "presence_penalty": options.PresencePenalty = (float)Number(value, field.Name, -2, 2); break;
                case "repetition_penalty":
                    (options.AdditionalProperties ??= [])[ChatOptionKeys.RepetitionPenalty] = Number(value, field.Name, 0.01, 100);
                    break;
                case "stop": options.StopSequences = Stops(value); break;
                case "stream": stream = value.ValueKind == JsonValueKind.True || (value.ValueKind != JsonValueKind.False ? throw Invalid("stream", "must be true or false") : false); break;
                case "stream_options": includeUsage = value.TryGetProperty("include_usage", out var usage) && usage.ValueKind == JsonValueKind.True; break;
                case "n" when Int(value, "n", 1) != 1: throw Invalid("n", "must be 1: this model gives one answer per request");
                case "tools" or "functions" when value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0:
                    throw Invalid(field.Name, "are not supported: this model does not call tools");
                default: break;
            }
        }

        if (messages is null || messages.Count == 0)
        {
            throw Invalid("messages", "is required: at least one message");
        }

        return new ChatCompletionRequest(model, messages, options, stream, includeUsage);
    }

    private static List<ChatMessage> Messages(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("messages", "must be an array of {\"role\", \"content\"}");
        }

        var messages = new List<ChatMessage>();
        var index = 0;
        foreach (var message in value.EnumerateArray())
        {
            var at = $"messages[{index++}]";
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role", out var roleValue) || roleValue.ValueKind != JsonValueKind.String)
            {
                throw Invalid(at, "must be an object with a string \"role\"");
            }

            var role = roleValue.GetString() switch
            {
                "system" or "developer" => ChatRole.System,
                "user" => ChatRole.User,
                "assistant" => ChatRole.Assistant,
                var other => throw Invalid($"{at}.role", $"must be system, developer, user or assistant (got '{other}')"),
            };
            messages.Add(new ChatMessage(role, message.TryGetProperty("content", out var content) ? Contents(content, at) : []));
        }

        return messages;
    }

    private static List<AIContent> Contents(JsonElement content, string at)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return [new TextContent(content.GetString())];
            case JsonValueKind.Null:
                return [];
            case JsonValueKind.Array:
                break;
            default:
                throw Invalid($"{at}.content", "must be a string or an array of content parts");
        }

        var parts = new List<AIContent>();
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var where = $"{at}.content[{index++}]";
            var type = part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            switch (type)
            {
                case "text":
                    parts.Add(new TextContent(part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : throw Invalid($"{where}.text", "must be a string")));
                    break;
                case "image_url":
                    parts.Add(Image(part, where));
                    break;
                default:
                    throw Invalid($"{where}.type", $"must be text or image_url (got '{type}')");
            }
        }

        return parts;
    }

    private static DataContent Image(JsonElement part, string where)
    {
        var image = part.TryGetProperty("image_url", out var i) ? i : default;
        var url = image.ValueKind switch
        {
            JsonValueKind.String => image.GetString(),
            JsonValueKind.Object when image.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String => u.GetString(),
            _ => null,
        } ?? throw Invalid($"{where}.image_url", "must be {\"url\": \"data:image/...;base64,...\"}");
        if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid($"{where}.image_url.url", "must be a data URL (data:image/png;base64,...): this service does not fetch images");
        }

        try
        {
            var data = new DataContent(url);
            return data.HasTopLevelMediaType("image") ? data : throw Invalid($"{where}.image_url.url", $"must hold an image (got {data.MediaType})");
        }
        catch (FormatException)
        {
            throw Invalid($"{where}.image_url.url", "is not a valid base64 data URL");
        }
    }

    private static List<string> Stops(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Array => value.EnumerateArray().Select(s => s.ValueKind == JsonValueKind.String ? s.GetString()! : throw Invalid("stop", "must be a string or an array of strings")).ToList(),
        _ => throw Invalid("stop", "must be a string or an array of strings"),
    };

    private static string String(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid(name, "must be a string");

    private static int Int(JsonElement value, string name, int min) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= min ? n : throw Invalid(name, $"must be an integer of at least {min}");

    private static double Number(JsonElement value, string name, double min, double max) =>
        value.ValueKind == JsonValueKind.Number && value.GetDouble() is var n && n >= min && n <= max ? n : throw Invalid(name, $"must be a number from {min} to {max}");

    private static InvalidSettingException Invalid(string field, string message) => new(field, message);
}
