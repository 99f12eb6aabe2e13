using System.Text.Json;

namespace MultiModalSearch.Models.Clip;

/// <summary>A CLIP dual encoder's settings, read from a Hugging Face <c>config.json</c> (CLIPConfig).</summary>
public sealed record ClipConfig
{
    public required ClipTextConfig Text { get; init; }

    public required ClipVisionConfig Vision { get; init; }

    /// <summary>Size of the shared embedding space.</summary>
    public int ProjectionDim { get; init; } = 512;

    /// <summary>Initial value of the learnable log temperature: ln(1 / 0.07).</summary>
    public double LogitScaleInitValue { get; init; } = 2.6592;

    public static ClipConfig Default { get; } = new() { Text = ClipTextConfig.Default, Vision = ClipVisionConfig.Default };

    public static ClipConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"CLIP config not found: {path}", path);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return FromJson(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public static ClipConfig FromJson(JsonElement root)
    {
        // Old configs put hidden_act at the top level only; each tower's own value wins when present.
        var act = root.TryGetProperty("hidden_act", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : "quick_gelu";
        var text = root.TryGetProperty("text_config", out var t) ? ClipTextConfig.FromJson(t, act) : ClipTextConfig.Default;
        var vision = root.TryGetProperty("vision_config", out var v) ? ClipVisionConfig.FromJson(v, act) : ClipVisionConfig.Default;
        var config = new ClipConfig
        {
            Text = text,
            Vision = vision,
            ProjectionDim = root.TryGetProperty("projection_dim", out var p) ? p.GetInt32() : Default.ProjectionDim,
            LogitScaleInitValue = root.TryGetProperty("logit_scale_init_value", out var s) ? s.GetDouble() : Default.LogitScaleInitValue,
        };
        config.Validate();
        return config;
    }

    public void Validate()
    {
        Text.Validate("text_config");
        Vision.Validate("vision_config");
        if (ProjectionDim <= 0)
        {
            throw new InvalidDataException($"projection_dim must be positive (got {ProjectionDim})");
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly string[] Architectures = ["CLIPModel"];

    public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["architectures"] = Architectures,
        ["model_type"] = "clip",
        ["projection_dim"] = ProjectionDim,
        ["logit_scale_init_value"] = LogitScaleInitValue,
        ["text_config"] = new Dictionary<string, object>
        {
            ["model_type"] = "clip_text_model", ["hidden_size"] = Text.HiddenSize, ["intermediate_size"] = Text.IntermediateSize,
            ["num_hidden_layers"] = Text.NumHiddenLayers, ["num_attention_heads"] = Text.NumAttentionHeads,
            ["hidden_act"] = Text.HiddenAct, ["layer_norm_eps"] = Text.LayerNormEps, ["vocab_size"] = Text.VocabSize,
            ["max_position_embeddings"] = Text.MaxPositionEmbeddings, ["bos_token_id"] = Text.BosTokenId,
            ["eos_token_id"] = Text.EosTokenId, ["projection_dim"] = ProjectionDim,
        },
        ["vision_config"] = new Dictionary<string, object>
        {
            ["model_type"] = "clip_vision_model", ["hidden_size"] = Vision.HiddenSize, ["intermediate_size"] = Vision.IntermediateSize,
            ["num_hidden_layers"] = Vision.NumHiddenLayers, ["num_attention_heads"] = Vision.NumAttentionHeads,
            ["hidden_act"] = Vision.HiddenAct, ["layer_norm_eps"] = Vision.LayerNormEps, ["image_size"] = Vision.ImageSize,
            ["patch_size"] = Vision.PatchSize, ["num_channels"] = Vision.NumChannels, ["projection_dim"] = ProjectionDim,
        },
    }, Indented);
}
