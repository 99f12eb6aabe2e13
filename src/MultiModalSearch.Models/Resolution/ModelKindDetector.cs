using System.Text.Json;

namespace MultiModalSearch.Models.Resolution;

/// <summary>
/// Tells which <see cref="ModelKind"/> a checkpoint is from its <c>config.json</c> (<c>model_type</c>,
/// <c>architectures</c>) and, for BERT, whether a sentence-transformers <c>modules.json</c> sits beside it.
/// </summary>
public static class ModelKindDetector
{
    public const string ConfigFileName = "config.json";
    public const string ModulesFileName = "modules.json";

    private const string Supported = "clip, chinese_clip, bert (sentence embedders and cross-encoders) and llava";

    /// <summary>The kind of the model in <paramref name="directory"/>.</summary>
    /// <exception cref="UnsupportedModelException">config.json is missing, unreadable or names a model this program does not run.</exception>
    public static ModelKind Detect(string directory)
    {
        var path = Path.Combine(directory, ConfigFileName);
        if (!File.Exists(path))
        {
            throw new UnsupportedModelException($"Model folder '{directory}' has no {ConfigFileName}.");
        }

        return Detect(File.ReadAllText(path), File.Exists(Path.Combine(directory, ModulesFileName)), path);
    }

    /// <summary>The kind described by <paramref name="configJson"/>; <paramref name="hasModulesJson"/> only matters for BERT.</summary>
    public static ModelKind Detect(string configJson, bool hasModulesJson, string source = ConfigFileName)
    {
        var (modelType, architectures) = Read(configJson, source);
        return modelType switch
        {
            null or "clip" => ModelKind.Clip,
            "chinese_clip" => ModelKind.ChineseClip,
            "llava" or "llava_next" => ModelKind.Llava,
            // sentence-transformers folders sometimes keep the head the encoder was trained with in "architectures";
            // their modules.json says they are used as embedders.
            "bert" when !hasModulesJson && architectures.Any(IsSequenceClassifier) => ModelKind.CrossEncoder,
            "bert" => ModelKind.SentenceEmbedder,
            _ => throw new UnsupportedModelException($"{source}: model_type '{modelType}' is not supported (this program runs {Supported})."),
        };
    }

    /// <summary>Whether the kind depends on <c>modules.json</c>, so a downloader must look for it before choosing files.</summary>
    public static bool NeedsModulesJson(string configJson, string source = ConfigFileName) => Read(configJson, source).ModelType == "bert";

    private static bool IsSequenceClassifier(string architecture) => architecture.EndsWith("ForSequenceClassification", StringComparison.Ordinal);

    private static (string? ModelType, IReadOnlyList<string> Architectures) Read(string configJson, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(configJson);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new UnsupportedModelException($"{source} is not a JSON object.");
            }

            var modelType = root.TryGetProperty("model_type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
            var architectures = root.TryGetProperty("architectures", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToList()
                : [];
            return (modelType, architectures);
        }
        catch (JsonException e)
        {
            throw new UnsupportedModelException($"{source} is not valid JSON ({e.Message}).", e);
        }
    }
}
