using System.Text.Json;

namespace MultiModalSearch.Models.Bert;

/// <summary>
/// A BERT encoder's settings, read from a Hugging Face <c>config.json</c> (BertConfig, or the <c>text_config</c> of
/// Chinese-CLIP). Defaults are bert-base-uncased's.
/// </summary>
public sealed record BertConfig
{
    public int VocabSize { get; init; } = 30522;

    /// <summary>Width of the residual stream (hidden_size).</summary>
    public int HiddenSize { get; init; } = 768;

    public int NumHiddenLayers { get; init; } = 12;

    public int NumAttentionHeads { get; init; } = 12;

    /// <summary>Width of the feed-forward block's inner layer (intermediate_size).</summary>
    public int IntermediateSize { get; init; } = 3072;

    /// <summary>gelu (erf, the original BERT's), gelu_new / gelu_pytorch_tanh (tanh approximation), relu, silu.</summary>
    public string HiddenAct { get; init; } = "gelu";

    /// <summary>Learned positions: the longest input the model takes.</summary>
    public int MaxPositionEmbeddings { get; init; } = 512;

    /// <summary>Segment embeddings: 2 for BERT (the two texts of a pair).</summary>
    public int TypeVocabSize { get; init; } = 2;

    public double LayerNormEps { get; init; } = 1e-12;

    public int PadTokenId { get; init; }

    /// <summary>Only "absolute" (learned position embeddings) is implemented.</summary>
    public string PositionEmbeddingType { get; init; } = "absolute";

    /// <summary>Outputs of a sequence-classification head (num_labels, or the size of id2label).</summary>
    public int NumLabels { get; init; } = 2;

    public int HeadDim => HiddenSize / NumAttentionHeads;

    public static BertConfig Default { get; } = new();

    public static BertConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"BERT config not found: {path}", path);
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

    public static BertConfig FromJson(JsonElement json, string section = "")
    {
        var config = new BertConfig
        {
            VocabSize = ReadInt(json, "vocab_size", Default.VocabSize),
            HiddenSize = ReadInt(json, "hidden_size", Default.HiddenSize),
            NumHiddenLayers = ReadInt(json, "num_hidden_layers", Default.NumHiddenLayers),
            NumAttentionHeads = ReadInt(json, "num_attention_heads", Default.NumAttentionHeads),
            IntermediateSize = ReadInt(json, "intermediate_size", Default.IntermediateSize),
            HiddenAct = ReadString(json, "hidden_act", Default.HiddenAct),
            MaxPositionEmbeddings = ReadInt(json, "max_position_embeddings", Default.MaxPositionEmbeddings),
            TypeVocabSize = ReadInt(json, "type_vocab_size", Default.TypeVocabSize),
            LayerNormEps = ReadDouble(json, "layer_norm_eps", Default.LayerNormEps),
            PadTokenId = ReadInt(json, "pad_token_id", Default.PadTokenId),
            PositionEmbeddingType = ReadString(json, "position_embedding_type", Default.PositionEmbeddingType),
            NumLabels = ReadNumLabels(json),
        };
        config.Validate(section);
        return config;
    }

    /// <summary>Throws with both values named when the settings cannot describe a BERT encoder.</summary>
    public void Validate(string section = "")
    {
        var prefix = section.Length == 0 ? "" : section + ".";
        Require(VocabSize > 0, $"{prefix}vocab_size must be positive (got {VocabSize})");
        Require(HiddenSize > 0, $"{prefix}hidden_size must be positive (got {HiddenSize})");
        Require(NumHiddenLayers > 0, $"{prefix}num_hidden_layers must be positive (got {NumHiddenLayers})");
        Require(NumAttentionHeads > 0 && HiddenSize % NumAttentionHeads == 0,
            $"{prefix}hidden_size must be divisible by num_attention_heads (got {HiddenSize} and {NumAttentionHeads})");
        Require(IntermediateSize > 0, $"{prefix}intermediate_size must be positive (got {IntermediateSize})");
        Require(BertActivation.IsKnown(HiddenAct), $"{prefix}hidden_act '{HiddenAct}' is not supported (use {BertActivation.KnownNames})");
        Require(MaxPositionEmbeddings > 1, $"{prefix}max_position_embeddings must be at least 2 (got {MaxPositionEmbeddings})");
        Require(TypeVocabSize > 0, $"{prefix}type_vocab_size must be positive (got {TypeVocabSize})");
        Require(LayerNormEps > 0, $"{prefix}layer_norm_eps must be positive (got {LayerNormEps})");
        Require(PositionEmbeddingType == "absolute",
            $"{prefix}position_embedding_type '{PositionEmbeddingType}' is not supported (only absolute position embeddings are)");
        Require(NumLabels > 0, $"{prefix}num_labels must be positive (got {NumLabels})");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidDataException(message);
        }
    }

    // Hugging Face writes id2label (and label2id) rather than num_labels; either gives the head's width.
    private static int ReadNumLabels(JsonElement json)
    {
        if (json.TryGetProperty("num_labels", out var n) && n.ValueKind == JsonValueKind.Number)
        {
            return n.GetInt32();
        }

        return json.TryGetProperty("id2label", out var labels) && labels.ValueKind == JsonValueKind.Object
            ? labels.EnumerateObject().Count()
            : Default.NumLabels;
    }

    private static int ReadInt(JsonElement json, string name, int fallback) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : fallback;

    private static double ReadDouble(JsonElement json, string name, double fallback) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : fallback;

    private static string ReadString(JsonElement json, string name, string fallback) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : fallback;
}
