using System.Text.Json;

namespace MultiModalSearch.Models.Llama;

/// <summary>
/// A Llama decoder's settings (Hugging Face's LlamaConfig). Keys missing from <c>config.json</c> take the class
/// defaults, as transformers does; real llava-hf configs are sparse and rely on them.
/// </summary>
public sealed record LlamaConfig
{
    public int VocabSize { get; init; } = 32000;

    public int HiddenSize { get; init; } = 4096;

    public int IntermediateSize { get; init; } = 11008;

    public int NumHiddenLayers { get; init; } = 32;

    public int NumAttentionHeads { get; init; } = 32;

    /// <summary>Grouped-query attention: key/value heads, each serving NumAttentionHeads / NumKeyValueHeads query heads.</summary>
    public int NumKeyValueHeads { get; init; } = 32;

    /// <summary>Per-head width; hidden_size / num_attention_heads unless the config says otherwise.</summary>
    public int HeadDim { get; init; } = 128;

    public string HiddenAct { get; init; } = "silu";

    public int MaxPositionEmbeddings { get; init; } = 2048;

    public double RmsNormEps { get; init; } = 1e-6;

    public double RopeTheta { get; init; } = 10000.0;

    /// <summary>Linear position interpolation factor from <c>rope_scaling</c> {"type": "linear"}; 1 without scaling.</summary>
    public double RopeLinearScalingFactor { get; init; } = 1.0;

    public bool AttentionBias { get; init; }

    public bool MlpBias { get; init; }

    public bool TieWordEmbeddings { get; init; }

    public int BosTokenId { get; init; } = 1;

    public int EosTokenId { get; init; } = 2;

    public int? PadTokenId { get; init; }

    public double InitializerRange { get; init; } = 0.02;

    public static LlamaConfig Default { get; } = new();

    /// <summary>Reads a LlamaConfig object (a <c>config.json</c> root or LLaVA's <c>text_config</c>).</summary>
    /// <param name="tieWordEmbeddingsFallback">Used when the object has no tie_word_embeddings (LLaVA keeps it at the top level).</param>
    public static LlamaConfig FromJson(JsonElement json, string section = "text_config", bool tieWordEmbeddingsFallback = false)
    {
        var heads = ReadInt(json, "num_attention_heads", Default.NumAttentionHeads);
        var hidden = ReadInt(json, "hidden_size", Default.HiddenSize);
        var config = new LlamaConfig
        {
            VocabSize = ReadInt(json, "vocab_size", Default.VocabSize),
            HiddenSize = hidden,
            IntermediateSize = ReadInt(json, "intermediate_size", Default.IntermediateSize),
            NumHiddenLayers = ReadInt(json, "num_hidden_layers", Default.NumHiddenLayers),
            NumAttentionHeads = heads,
            // transformers: num_key_value_heads = None means one key/value head per query head (plain multi-head).
            NumKeyValueHeads = ReadInt(json, "num_key_value_heads", heads),
            HeadDim = ReadInt(json, "head_dim", heads > 0 ? hidden / heads : 0),
            HiddenAct = ReadString(json, "hidden_act", Default.HiddenAct),
            MaxPositionEmbeddings = ReadInt(json, "max_position_embeddings", Default.MaxPositionEmbeddings),
            RmsNormEps = ReadDouble(json, "rms_norm_eps", Default.RmsNormEps),
            RopeTheta = ReadDouble(json, "rope_theta", Default.RopeTheta),
            RopeLinearScalingFactor = ReadRopeScaling(json, section),
            AttentionBias = ReadBool(json, "attention_bias", false),
            MlpBias = ReadBool(json, "mlp_bias", false),
            TieWordEmbeddings = ReadBool(json, "tie_word_embeddings", tieWordEmbeddingsFallback),
            BosTokenId = ReadInt(json, "bos_token_id", Default.BosTokenId),
            EosTokenId = ReadInt(json, "eos_token_id", Default.EosTokenId),
            PadTokenId = json.TryGetProperty("pad_token_id", out var pad) && pad.ValueKind == JsonValueKind.Number ? pad.GetInt32() : null,
            InitializerRange = ReadDouble(json, "initializer_range", Default.InitializerRange),
        };
        config.Validate(section);
        return config;
    }

    /// <summary>Throws with both values named when the settings cannot describe a Llama decoder.</summary>
    public void Validate(string section = "text_config")
    {
        Require(VocabSize > 0, $"{section}.vocab_size must be positive (got {VocabSize})");
        Require(HiddenSize > 0, $"{section}.hidden_size must be positive (got {HiddenSize})");
        Require(IntermediateSize > 0, $"{section}.intermediate_size must be positive (got {IntermediateSize})");
        Require(NumHiddenLayers > 0, $"{section}.num_hidden_layers must be positive (got {NumHiddenLayers})");
        Require(NumAttentionHeads > 0, $"{section}.num_attention_heads must be positive (got {NumAttentionHeads})");
        Require(NumKeyValueHeads > 0 && NumAttentionHeads % NumKeyValueHeads == 0,
            $"{section}.num_attention_heads must be a multiple of num_key_value_heads (got {NumAttentionHeads} and {NumKeyValueHeads})");
        Require(HeadDim > 0 && HeadDim % 2 == 0, $"{section}.head_dim must be positive and even for rotary positions (got {HeadDim})");
        Require(HiddenAct == "silu", $"{section}.hidden_act '{HiddenAct}' is not supported (Llama uses silu)");
        Require(MaxPositionEmbeddings > 0, $"{section}.max_position_embeddings must be positive (got {MaxPositionEmbeddings})");
        Require(RmsNormEps > 0, $"{section}.rms_norm_eps must be positive (got {RmsNormEps})");
        Require(RopeTheta > 0, $"{section}.rope_theta must be positive (got {RopeTheta})");
        Require(RopeLinearScalingFactor > 0, $"{section}.rope_scaling.factor must be positive (got {RopeLinearScalingFactor})");
    }

    private static double ReadRopeScaling(JsonElement json, string section)
    {
        if (!json.TryGetProperty("rope_scaling", out var scaling) || scaling.ValueKind == JsonValueKind.Null)
        {
            return 1.0;
        }

        var type = scaling.TryGetProperty("rope_type", out var t) || scaling.TryGetProperty("type", out t) ? t.GetString() : null;
        if (type == "default")
        {
            return 1.0;
        }

        if (type != "linear")
        {
            throw new InvalidDataException($"{section}.rope_scaling type '{type}' is not supported (only linear scaling or none)");
        }

        return ReadDouble(scaling, "factor", 1.0);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidDataException(message);
        }
    }

    private static int ReadInt(JsonElement json, string name, int fallback) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : fallback;

    private static double ReadDouble(JsonElement json, string name, double fallback) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : fallback;

    private static string ReadString(JsonElement json, string name, string fallback) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : fallback;

    private static bool ReadBool(JsonElement json, string name, bool fallback) =>
        json.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : fallback;
}
