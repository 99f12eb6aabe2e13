using System.Text.Json;
using MultiModalSearch.Models.Bert;
using MultiModalSearch.Models.Clip;

namespace MultiModalSearch.Models.ChineseClip;

/// <summary>Chinese-CLIP's settings (ChineseCLIPConfig): a BERT text tower, a CLIP vision tower, one projection size.</summary>
public sealed record ChineseClipConfig
{
    public required BertConfig Text { get; init; }

    public required ClipVisionConfig Vision { get; init; }

    /// <summary>Size of the shared embedding space (the top-level projection_dim; the towers' own are not used).</summary>
    public int ProjectionDim { get; init; } = 512;

    /// <summary>Initial value of the learnable log temperature: ln(1 / 0.07).</summary>
    public double LogitScaleInitValue { get; init; } = 2.6592;

    public static ChineseClipConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Chinese-CLIP config not found: {path}", path);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return FromJson(document.RootElement);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public static ChineseClipConfig FromJson(JsonElement root)
    {
        if (!root.TryGetProperty("text_config", out var text) || !root.TryGetProperty("vision_config", out var vision))
        {
            throw new InvalidDataException("a Chinese-CLIP config needs text_config and vision_config");
        }

        var config = new ChineseClipConfig
        {
            Text = BertConfig.FromJson(text, "text_config"),
            Vision = ClipVisionConfig.FromJson(vision, "quick_gelu"),
            ProjectionDim = root.TryGetProperty("projection_dim", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : 512,
            LogitScaleInitValue = root.TryGetProperty("logit_scale_init_value", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : 2.6592,
        };
        config.Vision.Validate("vision_config");
        if (config.ProjectionDim <= 0)
        {
            throw new InvalidDataException($"projection_dim must be positive (got {config.ProjectionDim})");
        }

        return config;
    }
}
