namespace MultiModalSearch.Training.Llava;

/// <summary>
/// The parts of a LLaVA model trained here: a Llama decoder and the projector from the vision tower's features, plus
/// which vision hidden state is read. The vision tower itself comes from a CLIP model folder, frozen.
/// </summary>
public sealed record LlavaModelShape
{
    public int HiddenSize { get; init; } = 128;

    public int IntermediateSize { get; init; } = 352;

    public int Layers { get; init; } = 2;

    public int AttentionHeads { get; init; } = 4;

    /// <summary>Grouped-query attention: key/value heads, each shared by AttentionHeads / KeyValueHeads query heads.</summary>
    public int KeyValueHeads { get; init; } = 2;

    /// <summary>SentencePiece pieces of the tokenizer learned from the training texts (the decoder adds &lt;image&gt; and &lt;pad&gt;).</summary>
    public int TokenizerPieces { get; init; } = 1024;

    public int MaxPositions { get; init; } = 256;

    /// <summary>The vision hidden state the projector reads (Python-style index; -2, LLaVA-1.5's, is the second-to-last layer's output).</summary>
    public int VisionFeatureLayer { get; init; } = -2;

    /// <summary><c>default</c> (LLaVA-1.5's) drops the class token, <c>full</c> keeps it.</summary>
    public string VisionFeatureSelectStrategy { get; init; } = "default";

    public void Validate()
    {
        Require(HiddenSize > 0 && IntermediateSize > 0 && Layers > 0, $"the decoder needs a positive width, MLP width and depth (got {HiddenSize}, {IntermediateSize} and {Layers})");
        Require(AttentionHeads > 0 && HiddenSize % AttentionHeads == 0, $"the hidden size must be a multiple of the attention heads (got {HiddenSize} and {AttentionHeads})");
        Require(KeyValueHeads > 0 && AttentionHeads % KeyValueHeads == 0, $"the attention heads must be a multiple of the key/value heads (got {AttentionHeads} and {KeyValueHeads})");
        Require((HiddenSize / AttentionHeads) % 2 == 0, $"the head width must be even for rotary positions (got {HiddenSize / AttentionHeads})");
        Require(TokenizerPieces >= 300, $"the tokenizer needs at least 300 pieces (259 special and byte pieces plus characters; got {TokenizerPieces})");
        Require(MaxPositions > 0, $"the maximum sequence length must be positive (got {MaxPositions})");
        Require(VisionFeatureSelectStrategy is "default" or "full", $"the vision feature strategy must be 'default' or 'full' (got '{VisionFeatureSelectStrategy}')");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
