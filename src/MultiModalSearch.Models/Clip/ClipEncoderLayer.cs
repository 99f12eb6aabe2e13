using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MultiModalSearch.Models.Clip;

/// <summary>One pre-LayerNorm residual block (CLIPEncoderLayer).</summary>
public sealed class ClipEncoderLayer : Module<Tensor, Tensor>
{
    private readonly ClipAttention self_attn;
    private readonly LayerNorm layer_norm1;
    private readonly ClipMlp mlp;
    private readonly LayerNorm layer_norm2;

    public ClipEncoderLayer(ClipEncoderConfig config, bool causal, Device? device = null, ScalarType? dtype = null) : base(nameof(ClipEncoderLayer))
    {
        self_attn = new ClipAttention(config, causal, device, dtype);
        layer_norm1 = LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        mlp = new ClipMlp(config, device, dtype);
        layer_norm2 = LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden_states)
    {
        using var scope = NewDisposeScope();
        var residual = hidden_states;
        hidden_states = layer_norm1.call(hidden_states);
        hidden_states = self_attn.call(hidden_states);
        hidden_states = residual + hidden_states;

        residual = hidden_states;
        hidden_states = layer_norm2.call(hidden_states);
        hidden_states = mlp.call(hidden_states);
        hidden_states = residual + hidden_states;
        return hidden_states.MoveToOuterDisposeScope();
    }
}
