using System.Text.Json;

namespace MultiModalSearch.Models.Tokenization.Clip;

/// <summary>The few settings of <c>tokenizer_config.json</c> that change ids; all optional.</summary>
internal sealed record ClipTokenizerConfig(int ContextLength, string StartToken, string EndToken)
{
    // Hugging Face writes a huge sentinel (1e30) as model_max_length when a tokenizer has no limit.
    private const long MaxPlausibleContextLength = 1_000_000;

    public static ClipTokenizerConfig Read(string path)
    {
        if (!File.Exists(path))
        {
            return new ClipTokenizerConfig(ClipTokenizer.DefaultContextLength, ClipTokenizer.DefaultStartOfTextToken, ClipTokenizer.DefaultEndOfTextToken);
        }

        using var stream = File.OpenRead(path);
        using var doc = JsonDocument.Parse(stream);
        var root = doc.RootElement;
        return new ClipTokenizerConfig(
            ReadContextLength(root),
            ReadToken(root, "bos_token") ?? ClipTokenizer.DefaultStartOfTextToken,
            ReadToken(root, "eos_token") ?? ClipTokenizer.DefaultEndOfTextToken);
    }

    private static int ReadContextLength(JsonElement root)
    {
        if (!root.TryGetProperty("model_max_length", out var value) || value.ValueKind != JsonValueKind.Number
            || !value.TryGetDouble(out double length) || length > MaxPlausibleContextLength)
        {
            return ClipTokenizer.DefaultContextLength;
        }

        return (int)length;
    }

    // A token is written either as a string or as an AddedToken object with a "content" field.
    private static string? ReadToken(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object when value.TryGetProperty("content", out var content) => content.GetString(),
            _ => null,
        };
    }
}
