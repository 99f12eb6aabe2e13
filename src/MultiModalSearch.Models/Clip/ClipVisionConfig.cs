using System.Text.Json;

namespace MultiModalSearch.Models.Clip;

/// <summary>Vision tower settings (CLIPVisionConfig). Defaults are openai/clip-vit-base-patch32's.</summary>
public sealed record ClipVisionConfig : ClipEncoderConfig
{
    public int ImageSize { get; init; } = 224;

    public int PatchSize { get; init; } = 32;

    public int NumChannels { get; init; } = 3;

    public int GridSize => ImageSize / PatchSize;

    /// <summary>Patches plus the class token.</summary>
    public int NumPositions => GridSize * GridSize + 1;

    public static ClipVisionConfig Default { get; } = new()
    {
        HiddenSize = 768, IntermediateSize = 3072, NumHiddenLayers = 12, NumAttentionHeads = 12,
    };

    internal static ClipVisionConfig FromJson(JsonElement json, string fallbackAct) => ReadShared(Default, json, fallbackAct) with
    {
        ImageSize = ReadInt(json, "image_size", Default.ImageSize),
        PatchSize = ReadInt(json, "patch_size", Default.PatchSize),
        NumChannels = ReadInt(json, "num_channels", Default.NumChannels),
    };

    public override void Validate(string tower)
    {
        base.Validate(tower);
        Require(PatchSize > 0 && ImageSize % PatchSize == 0,
            $"{tower}.image_size must be a multiple of patch_size (got {ImageSize} and {PatchSize})");
        Require(NumChannels == 3, $"{tower}.num_channels must be 3 (got {NumChannels})");
    }
}
