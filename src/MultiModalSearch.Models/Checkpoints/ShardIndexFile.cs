using System.Text.Json;

namespace MultiModalSearch.Models.Checkpoints;

/// <summary>Reads <c>model.safetensors.index.json</c>: its <c>weight_map</c> maps tensor names to shard files.</summary>
internal static class ShardIndexFile
{
    /// <summary>The distinct shard file names, in first-use order.</summary>
    /// <exception cref="FormatException">The JSON is not an index, or names an unsafe shard path.</exception>
    public static IReadOnlyList<string> ShardNames(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new FormatException("it has no weight_map object");
            var names = map.EnumerateObject().Select(p => p.Value.GetString() ?? "").Distinct(StringComparer.Ordinal).ToList();
            if (names.Count == 0)
                throw new FormatException("its weight_map is empty");
            foreach (var name in names)
                EnsureSafe(name);
            return names;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException($"invalid JSON: {e.Message}", e);
        }
    }

    // The index comes from the network: a shard name must stay inside the snapshot folder and be safetensors.
    private static void EnsureSafe(string name)
    {
        var safe = name.EndsWith(".safetensors", StringComparison.Ordinal)
                   && !Path.IsPathRooted(name)
                   && !name.Contains('\\', StringComparison.Ordinal)
                   && name.Split('/').All(p => p is not ("" or "." or ".."));
        if (!safe)
            throw new FormatException($"shard name '{name}' is not a safetensors file inside the repository");
    }
}
