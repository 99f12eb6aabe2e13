using System.Text.Json;
using MultiModalSearch.Models.Clip;
using MultiModalSearch.Models.Llama;

namespace MultiModalSearch.Models.Llava;

/// <summary>
/// A LLaVA-1.5 model's settings (Hugging Face's LlavaConfig): a CLIP vision tower read at <c>vision_feature_layer</c>,
/// a two-layer projector and a Llama decoder. Missing keys take the transformers class defaults (llava-hf configs are
/// sparse: no hidden_act in vision_config, no layer counts in text_config).
/// </summary>
public sealed record LlavaConfig
{
    public required ClipVisionConfig Vision { get; init; }

    public required LlamaConfig Text { get; init; }

    /// <summary>The id whose embedding rows are replaced by image features.</summary>
    public int ImageTokenIndex { get; init; } = 32000;

    /// <summary>Indices into the vision tower's hidden states (Python-style, -2 = second-to-last layer); several are concatenated.</summary>
    public IReadOnlyList<int> VisionFeatureLayers { get; init; } = [-2];

    /// <summary><c>default</c> drops the class token, <c>full</c> keeps it.</summary>
    public string VisionFeatureSelectStrategy { get; init; } = "default";

    public string ProjectorHiddenAct { get; init; } = "gelu";

    public bool MultimodalProjectorBias { get; init; } = true;

    /// <summary>Image features per image: the patches, plus the class token with the <c>full</c> strategy.</summary>
    public int ImageSequenceLength => Vision.GridSize * Vision.GridSize + (VisionFeatureSelectStrategy == "full" ? 1 : 0);

    /// <summary>Width of the projector's input: the vision hidden size times the number of layers read.</summary>
    public int ProjectorInputSize => Vision.HiddenSize * VisionFeatureLayers.Count;

    public static LlavaConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"LLaVA config not found: {path}", path);
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        try
        {
            return FromJson(document.RootElement);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public static LlavaConfig FromJson(JsonElement root)
    {
        var modelType = root.TryGetProperty("model_type", out var type) ? type.GetString() : null;
        if (modelType is not null and not "llava")
        {
            throw new InvalidDataException($"model_type is '{modelType}', not 'llava' (LlavaForConditionalGeneration checkpoints only)");
        }

        var topTie = root.TryGetProperty("tie_word_embeddings", out var tie) && tie.ValueKind == JsonValueKind.True;
        var vision = root.TryGetProperty("vision_config", out var v) && v.ValueKind == JsonValueKind.Object
            ? ReadVision(v)
            : LlavaDefaults.VisionTower;
        var text = root.TryGetProperty("text_config", out var t) && t.ValueKind == JsonValueKind.Object
            ? ReadText(t, topTie)
            : LlamaConfig.Default with { TieWordEmbeddings = topTie };
        var config = new LlavaConfig
        {
            Vision = vision,
            Text = text,
            ImageTokenIndex = ReadInt(root, "image_token_index", ReadInt(root, "image_token_id", 32000)),
            VisionFeatureLayers = ReadLayers(root),
            VisionFeatureSelectStrategy = root.TryGetProperty("vision_feature_select_strategy", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "default",
            ProjectorHiddenAct = root.TryGetProperty("projector_hidden_act", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : "gelu",
            MultimodalProjectorBias = !root.TryGetProperty("multimodal_projector_bias", out var b) || b.ValueKind != JsonValueKind.False,
        };
        config.Validate();
        return config;
    }

    public void Validate()
    {
        Vision.Validate("vision_config");
        Text.Validate("text_config");
        Require(VisionFeatureSelectStrategy is "default" or "full",
            $"vision_feature_select_strategy must be 'default' or 'full' (got '{VisionFeatureSelectStrategy}')");
        Require(ClipActivation.IsKnown(ProjectorHiddenAct), $"projector_hidden_act '{ProjectorHiddenAct}' is not supported (use gelu, gelu_new or quick_gelu)");
        Require(VisionFeatureLayers.Count > 0, "vision_feature_layer must name at least one layer");
        var states = Vision.NumHiddenLayers + 1;
        foreach (var layer in VisionFeatureLayers)
        {
            Require(layer >= -states && layer < states,
                $"vision_feature_layer {layer} is outside the vision tower's {states} hidden states (embeddings and {Vision.NumHiddenLayers} layers)");
        }

        Require(ImageTokenIndex >= 0 && ImageTokenIndex < Text.VocabSize,
            $"image_token_index must be below text_config.vocab_size (got {ImageTokenIndex} and {Text.VocabSize})");
    }

    private static ClipVisionConfig ReadVision(JsonElement json)
    {
        var modelType = json.TryGetProperty("model_type", out var type) ? type.GetString() : "clip_vision_model";
        if (modelType != "clip_vision_model")
        {
            throw new InvalidDataException($"vision_config.model_type is '{modelType}'; only CLIP vision towers (clip_vision_model) are supported");
        }

        return ClipVisionConfig.FromJson(json, "quick_gelu");
    }

    private static LlamaConfig ReadText(JsonElement json, bool topTie)
    {
        var modelType = json.TryGetProperty("model_type", out var type) ? type.GetString() : "llama";
        if (modelType != "llama")
        {
            throw new InvalidDataException($"text_config.model_type is '{modelType}'; only Llama decoders are supported");
        }

        return LlamaConfig.FromJson(json, "text_config", topTie);
    }

    private static List<int> ReadLayers(JsonElement root)
    {
        if (!root.TryGetProperty("vision_feature_layer", out var layer))
        {
            return [-2];
        }

        return layer.ValueKind switch
        {
            JsonValueKind.Number => [layer.GetInt32()],
            JsonValueKind.Array => layer.EnumerateArray().Select(l => l.GetInt32()).ToList(),
            _ => throw new InvalidDataException($"vision_feature_layer must be an integer or a list of integers (got {layer.GetRawText()})"),
        };
    }

    private static int ReadInt(JsonElement json, string name, int fallback) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : fallback;

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidDataException(message);
        }
    }
}
