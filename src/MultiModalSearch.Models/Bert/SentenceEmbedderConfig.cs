using System.Text.Json;

namespace MultiModalSearch.Models.Bert;

/// <summary>
/// A sentence-transformers pipeline as its folder describes it: <c>modules.json</c> (Transformer, Pooling, optional
/// Normalize), <c>1_Pooling/config.json</c> and <c>sentence_bert_config.json</c>. A folder without modules.json is a
/// bare BERT, which sentence-transformers wraps with mean pooling and no normalisation.
/// </summary>
public sealed record SentenceEmbedderConfig
{
    private const string TransformerModule = "sentence_transformers.models.Transformer";
    private const string PoolingModule = "sentence_transformers.models.Pooling";
    private const string NormalizeModule = "sentence_transformers.models.Normalize";

    public SentencePooling Pooling { get; init; } = SentencePooling.Mean;

    /// <summary>L2-normalise the pooled vector (a Normalize module).</summary>
    public bool Normalize { get; init; }

    /// <summary>max_seq_length: longer texts are cut to this many ids, [CLS] and [SEP] included; null: the tokenizer's.</summary>
    public int? MaxSeqLength { get; init; }

    /// <summary>sentence-transformers lower-cases the text itself before tokenising when this is set.</summary>
    public bool DoLowerCase { get; init; }

    public static SentenceEmbedderConfig Read(string directory)
    {
        var config = new SentenceEmbedderConfig();
        var sentenceBert = Path.Combine(directory, "sentence_bert_config.json");
        if (File.Exists(sentenceBert))
        {
            using var json = Parse(sentenceBert);
            config = config with
            {
                MaxSeqLength = json.RootElement.TryGetProperty("max_seq_length", out var max) && max.ValueKind == JsonValueKind.Number ? max.GetInt32() : null,
                DoLowerCase = json.RootElement.TryGetProperty("do_lower_case", out var lower) && lower.ValueKind == JsonValueKind.True,
            };
        }

        var modules = Path.Combine(directory, "modules.json");
        return File.Exists(modules) ? config.WithModules(directory, modules) : config;
    }

    private SentenceEmbedderConfig WithModules(string directory, string modulesPath)
    {
        using var json = Parse(modulesPath);
        if (json.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{modulesPath} must be a list of modules");
        }

        var config = this;
        var sawPooling = false;
        foreach (var module in json.RootElement.EnumerateArray())
        {
            var type = module.TryGetProperty("type", out var t) ? t.GetString() : null;
            var path = module.TryGetProperty("path", out var p) ? p.GetString() ?? "" : "";
            switch (type)
            {
                case TransformerModule when path.Trim('/').Length == 0:
                    break;
                case TransformerModule:
                    throw new InvalidDataException(
                        $"{modulesPath}: the transformer lives in the sub-folder '{path}' (an old sentence-transformers layout); pass that folder as the model instead");
                case PoolingModule:
                    config = config with { Pooling = ReadPooling(Path.Combine(directory, path, "config.json")) };
                    sawPooling = true;
                    break;
                case NormalizeModule:
                    config = config with { Normalize = true };
                    break;
                default:
                    throw new InvalidDataException(
                        $"{modulesPath}: module '{type}' is not supported (this program runs Transformer, Pooling and Normalize modules)");
            }
        }

        return sawPooling ? config
            : throw new InvalidDataException($"{modulesPath} lists no {PoolingModule}, so nothing says how to pool the token states");
    }

    private static SentencePooling ReadPooling(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"sentence-transformers pooling settings not found: {path}", path);
        }

        using var json = Parse(path);
        var root = json.RootElement;
        if (root.TryGetProperty("pooling_mode", out var mode) && mode.ValueKind == JsonValueKind.String)
        {
            return mode.GetString() switch
            {
                "cls" => SentencePooling.Cls,
                "mean" => SentencePooling.Mean,
                var other => throw new InvalidDataException($"{path}: pooling_mode '{other}' is not supported (use cls or mean)"),
            };
        }

        var enabled = root.EnumerateObject()
            .Where(p => p.Name.StartsWith("pooling_mode_", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.True)
            .Select(p => p.Name)
            .ToList();
        return enabled switch
        {
            ["pooling_mode_cls_token"] => SentencePooling.Cls,
            ["pooling_mode_mean_tokens"] => SentencePooling.Mean,
            [] => throw new InvalidDataException($"{path} enables no pooling mode"),
            _ => throw new InvalidDataException(
                $"{path} enables {string.Join(" and ", enabled)}; only one of pooling_mode_cls_token or pooling_mode_mean_tokens is supported"),
        };
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON ({e.Message})", e);
        }
    }
}
