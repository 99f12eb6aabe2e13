using System.Text.Json;

namespace MultiModalSearch.Models.Generation;

/// <summary>The end-of-sequence ids a checkpoint's <c>generation_config.json</c> declares (an id or a list of ids).</summary>
public static class GenerationConfigFile
{
    public const string FileName = "generation_config.json";

    /// <summary>The declared ids, or <paramref name="fallback"/> when the file or the key is absent.</summary>
    public static IReadOnlyList<int> ReadEndOfSequenceIds(string directory, int fallback)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return [fallback];
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        if (!document.RootElement.TryGetProperty("eos_token_id", out var eos))
        {
            return [fallback];
        }

        return eos.ValueKind switch
        {
            JsonValueKind.Number => [eos.GetInt32()],
            JsonValueKind.Array => eos.EnumerateArray().Select(e => e.GetInt32()).ToList(),
            _ => [fallback],
        };
    }
}
