using System.Text.Json;

namespace MultiModalSearch.Models.Clip;

/// <summary>The transformer settings shared by both towers (Hugging Face's CLIPTextConfig / CLIPVisionConfig fields).</summary>
public abstract record ClipEncoderConfig
{
    /// <summary>Width of the residual stream (hidden_size).</summary>
    public int HiddenSize { get; init; }

    /// <summary>Width of the MLP's inner layer (intermediate_size).</summary>
    public int IntermediateSize { get; init; }

    public int NumHiddenLayers { get; init; }

    public int NumAttentionHeads { get; init; }

    /// <summary>quick_gelu (OpenAI's models) or gelu (most OpenCLIP models).</summary>
    public string HiddenAct { get; init; } = "quick_gelu";

    public double LayerNormEps { get; init; } = 1e-5;

    public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <summary>Throws with both values named when the settings cannot describe a transformer.</summary>
    public virtual void Validate(string tower)
    {
        Require(HiddenSize > 0, $"{tower}.hidden_size must be positive (got {HiddenSize})");
        Require(IntermediateSize > 0, $"{tower}.intermediate_size must be positive (got {IntermediateSize})");
        Require(NumHiddenLayers > 0, $"{tower}.num_hidden_layers must be positive (got {NumHiddenLayers})");
        Require(NumAttentionHeads > 0 && HiddenSize % NumAttentionHeads == 0,
            $"{tower}.hidden_size must be divisible by num_attention_heads (got {HiddenSize} and {NumAttentionHeads})");
        Require(ClipActivation.IsKnown(HiddenAct), $"{tower}.hidden_act '{HiddenAct}' is not supported (use quick_gelu, gelu or gelu_new)");
        Require(LayerNormEps > 0, $"{tower}.layer_norm_eps must be positive (got {LayerNormEps})");
    }

    protected static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidDataException(message);
        }
    }

    /// <summary>The fields both towers share, read over <paramref name="defaults"/> (whose record type is kept).</summary>
    protected static T ReadShared<T>(T defaults, JsonElement json, string fallbackAct)
        where T : ClipEncoderConfig =>
        (T)(defaults with
        {
            HiddenSize = ReadInt(json, "hidden_size", defaults.HiddenSize),
            IntermediateSize = ReadInt(json, "intermediate_size", defaults.IntermediateSize),
            NumHiddenLayers = ReadInt(json, "num_hidden_layers", defaults.NumHiddenLayers),
            NumAttentionHeads = ReadInt(json, "num_attention_heads", defaults.NumAttentionHeads),
            HiddenAct = ReadString(json, "hidden_act", fallbackAct),
            LayerNormEps = ReadDouble(json, "layer_norm_eps", defaults.LayerNormEps),
        });

    protected static int ReadInt(JsonElement json, string name, int fallback) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : fallback;

    protected static double ReadDouble(JsonElement json, string name, double fallback) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : fallback;

    protected static string ReadString(JsonElement json, string name, string fallback) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : fallback;
}
