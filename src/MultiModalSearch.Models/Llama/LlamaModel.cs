using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Llama;

/// <summary>
/// The decoder stack (LlamaModel): keys <c>embed_tokens</c>, <c>layers.{i}.*</c>, <c>norm</c>. Takes embeddings rather
/// than ids so that a vision-language model can put image features among the tokens.
/// </summary>
public sealed class LlamaModel : Module<Tensor, LlamaKvCache?, Tensor>
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    private readonly LlamaRmsNorm norm;
    private readonly LlamaRotaryEmbedding rotary;

    public LlamaModel(LlamaConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(LlamaModel))
    {
        Config = config;
        embed_tokens = Embedding(config.VocabSize, config.HiddenSize, device: device, dtype: dtype);
        layers = new ModuleList<LlamaDecoderLayer>(
            Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new LlamaDecoderLayer(config, device, dtype)).ToArray());
        norm = new LlamaRmsNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        rotary = new LlamaRotaryEmbedding(config);
        RegisterComponents();
    }

    public LlamaConfig Config { get; }

    /// <summary>The token embedding table, [vocab, hidden] (also the output projection when embeddings are tied).</summary>
    public Parameter EmbeddingWeight => embed_tokens.weight!;

    /// <summary>[batch, length] ids -> [batch, length, hidden].</summary>
    public Tensor EmbedTokens(Tensor input_ids) => embed_tokens.call(input_ids);

    /// <summary>
    /// [batch, length, hidden] embeddings -> the final-normed hidden states. With a cache, the embeddings are the
    /// positions after those already stored, and their keys and values are stored too.
    /// </summary>
    public override Tensor forward(Tensor inputs_embeds, LlamaKvCache? cache)
    {
        using var scope = NewDisposeScope();
        var hidden_states = RunLayers(inputs_embeds, cache, layers.Count, collect: null);
        return norm.call(hidden_states).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Hugging Face's <c>hidden_states</c> tuple without a cache: [0] the embeddings, [i] the output of layer i-1, and the
    /// last entry after the final norm (unlike CLIP's). For parity checks and feature extraction.
    /// </summary>
    public IReadOnlyList<Tensor> HiddenStates(Tensor inputs_embeds)
    {
        using var scope = NewDisposeScope();
        var collected = new List<Tensor> { inputs_embeds.alias() };
        var hidden_states = RunLayers(inputs_embeds, cache: null, layers.Count, collected);
        collected[^1] = norm.call(hidden_states);
        foreach (var state in collected)
        {
            state.MoveToOuterDisposeScope();
        }

        return collected;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            rotary.Dispose();
        }

        base.Dispose(disposing);
    }

    private Tensor RunLayers(Tensor inputs_embeds, LlamaKvCache? cache, int count, List<Tensor>? collect)
    {
        var start = cache?.Length ?? 0;
        var length = inputs_embeds.shape[1];
        var (cos, sin) = rotary.ForPositions(start, length, inputs_embeds.device, inputs_embeds.dtype);
        var positions = new LlamaRotaryPositions(cos, sin);
        var hidden_states = inputs_embeds;
        for (var i = 0; i < count; i++)
        {
            hidden_states = layers[i].call(hidden_states, positions, cache?[i]);
            collect?.Add(hidden_states);
        }

        cache?.Advance(length);
        return hidden_states;
    }
}
