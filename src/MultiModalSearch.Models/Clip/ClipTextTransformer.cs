using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MultiModalSearch.Models.Clip;

/// <summary>The text tower (CLIPTextTransformer); keys <c>text_model.*</c>.</summary>
public sealed class ClipTextTransformer : Module<Tensor, ClipTowerOutput>
{
    private const int LegacyEosTokenId = 2;

    private readonly ClipTextEmbeddings embeddings;
    private readonly ClipEncoder encoder;
    private readonly LayerNorm final_layer_norm;

    public ClipTextTransformer(ClipTextConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(ClipTextTransformer))
    {
        Config = config;
        embeddings = new ClipTextEmbeddings(config, device, dtype);
        encoder = new ClipEncoder(config, causal: true, device, dtype);
        final_layer_norm = LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        RegisterComponents();
    }

    public ClipTextConfig Config { get; }

    /// <summary>The residual stream after the last block, before final_layer_norm (what OpenAI's code calls x before ln_final).</summary>
    public Tensor EncodeTokens(Tensor input_ids)
    {
        using var scope = NewDisposeScope();
        var hidden_states = embeddings.call(input_ids);
        return encoder.call(hidden_states).MoveToOuterDisposeScope();
    }

    public override ClipTowerOutput forward(Tensor input_ids)
    {
        using var scope = NewDisposeScope();
        var hidden_states = final_layer_norm.call(EncodeTokens(input_ids));
        var pooled = PoolAtEndOfText(hidden_states, input_ids);
        return new ClipTowerOutput(hidden_states.MoveToOuterDisposeScope(), pooled.MoveToOuterDisposeScope());
    }

    /// <summary>Only the pooled state; the norm runs on one token per text instead of all of them.</summary>
    public Tensor Pool(Tensor input_ids)
    {
        using var scope = NewDisposeScope();
        var pooled = PoolAtEndOfText(EncodeTokens(input_ids), input_ids);
        return final_layer_norm.call(pooled).MoveToOuterDisposeScope();
    }

    private Tensor PoolAtEndOfText(Tensor hidden_states, Tensor input_ids)
    {
        // The end-of-text token carries the sentence. OpenAI pools at the argmax of the ids (the end token is the
        // largest id); configs written before transformers 4.31 declare eos_token_id = 2, which Hugging Face reads
        // as "use the argmax", so we do too. Otherwise: the first end token.
        var endIndex = Config.EosTokenId == LegacyEosTokenId
            ? input_ids.argmax(-1)
            : input_ids.eq(Config.EosTokenId).to(ScalarType.Int32).argmax(-1);
        var rows = torch.arange(input_ids.shape[0], device: input_ids.device);
        return hidden_states[rows, endIndex];
    }
}
