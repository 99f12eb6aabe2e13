using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Llama;

/// <summary>One pre-norm residual block (LlamaDecoderLayer): RMSNorm, attention, RMSNorm, SwiGLU MLP.</summary>
public sealed class LlamaDecoderLayer : Module<Tensor, LlamaRotaryPositions, LlamaLayerCache?, Tensor>
{
    private readonly LlamaAttention self_attn;
    private readonly LlamaMlp mlp;
    private readonly LlamaRmsNorm input_layernorm;
    private readonly LlamaRmsNorm post_attention_layernorm;

    public LlamaDecoderLayer(LlamaConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(LlamaDecoderLayer))
    {
        self_attn = new LlamaAttention(config, device, dtype);
        mlp = new LlamaMlp(config, device, dtype);
        input_layernorm = new LlamaRmsNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        post_attention_layernorm = new LlamaRmsNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden_states, LlamaRotaryPositions positions, LlamaLayerCache? cache)
    {
        using var scope = NewDisposeScope();
        var residual = hidden_states;
        hidden_states = input_layernorm.call(hidden_states);
        hidden_states = self_attn.call(hidden_states, positions, cache);
        hidden_states = residual + hidden_states;

        residual = hidden_states;
        hidden_states = post_attention_layernorm.call(hidden_states);
        hidden_states = mlp.call(hidden_states);
        hidden_states = residual + hidden_states;
        return hidden_states.MoveToOuterDisposeScope();
    }
}
