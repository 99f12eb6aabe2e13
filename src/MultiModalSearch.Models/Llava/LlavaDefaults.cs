using MultiModalSearch.Models.Clip;

namespace MultiModalSearch.Models.Llava;

/// <summary>What transformers' LlavaConfig builds when a config has no vision_config at all: CLIP ViT-L/14 at 336 px.</summary>
internal static class LlavaDefaults
{
    public static ClipVisionConfig VisionTower { get; } = ClipVisionConfig.Default with
    {
        HiddenSize = 1024, IntermediateSize = 4096, NumHiddenLayers = 24, NumAttentionHeads = 16,
        ImageSize = 336, PatchSize = 14, HiddenAct = "quick_gelu",
    };
}
