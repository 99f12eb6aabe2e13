using System.Text.Json;

namespace MultiModalSearch.Models.Clip;

/// <summary>Text tower settings (CLIPTextConfig). Defaults are openai/clip-vit-base-patch32's.</summary>
public sealed record ClipTextConfig : ClipEncoderConfig
{
    public int VocabSize { get; init; } = 49408;

    /// <summary>Context length: the number of learned positions.</summary>
    public int MaxPositionEmbeddings { get; init; } = 77;

    public int BosTokenId { get; init; } = 49406;

    public int EosTokenId { get; init; } = 49407;

    public static ClipTextConfig Default { get; } = new()
    {
        HiddenSize = 512, IntermediateSize = 2048, NumHiddenLayers = 12, NumAttentionHeads = 8,
    };

    internal static ClipTextConfig FromJson(JsonElement json, string fallbackAct) => ReadShared(Default, json, fallbackAct) with
    {
        VocabSize = ReadInt(json, "vocab_size", Default.VocabSize),
        MaxPositionEmbeddings = ReadInt(json, "max_position_embeddings", Default.MaxPositionEmbeddings),
        BosTokenId = ReadInt(json, "bos_token_id", Default.BosTokenId),
        EosTokenId = ReadInt(json, "eos_token_id", Default.EosTokenId),
    };

    public override void Validate(string tower)
    {
        base.Validate(tower);
        Require(VocabSize > 0, $"{tower}.vocab_size must be positive (got {VocabSize})");
        Require(MaxPositionEmbeddings > 1, $"{tower}.max_position_embeddings must be at least 2 (got {MaxPositionEmbeddings})");
        Require(EosTokenId >= 0 && EosTokenId < VocabSize, $"{tower}.eos_token_id must be below vocab_size (got {EosTokenId} and {VocabSize})");
    }
}
