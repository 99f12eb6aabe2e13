using System.Text.Json;

namespace MultiModalSearch.Training.Data;

/// <summary>Reads <c>{"image": "a.jpg", "caption": "..."}</c> or <c>{"image": ..., "captions": [...]}</c>, one object a line.</summary>
internal static class JsonlManifestReader
{
    public static IReadOnlyList<CaptionedImage> Read(string path)
    {
        var builder = new ManifestBuilder(path);
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var (image, captions) = Parse(path, number, line);
            builder.Add(number, image, captions);
        }

        return builder.Build();
    }

    private static (string? Image, List<string?> Captions) Parse(string path, int number, string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new DatasetFormatException(path, number, "expected a JSON object");
            }

            var image = ReadString(root, "image", path, number);
            var captions = new List<string?>();
            if (root.TryGetProperty("caption", out _))
            {
                captions.Add(ReadString(root, "caption", path, number));
            }

            if (root.TryGetProperty("captions", out var list))
            {
                if (list.ValueKind != JsonValueKind.Array)
                {
                    throw new DatasetFormatException(path, number, "\"captions\" must be an array of strings");
                }

                captions.AddRange(list.EnumerateArray().Select(c => c.ValueKind == JsonValueKind.String
                    ? c.GetString()
                    : throw new DatasetFormatException(path, number, "\"captions\" must be an array of strings")));
            }

            return (image, captions);
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException(path, number, $"invalid JSON: {e.Message}");
        }
    }

    private static string? ReadString(JsonElement root, string name, string path, int number)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new DatasetFormatException(path, number, $"\"{name}\" must be a string");
    }
}
