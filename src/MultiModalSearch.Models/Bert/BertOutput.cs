using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Bert;

/// <summary>The feed-forward block's narrowing layer, residual and post-LayerNorm (BertOutput); keys <c>output.*</c>.</summary>
public sealed class BertOutput : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;

    public BertOutput(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertOutput))
    {
        dense = Linear(config.IntermediateSize, config.HiddenSize, device: device, dtype: dtype);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <param name="hidden_states">The intermediate (widened) activations.</param>
    /// <param name="input_tensor">The attention block's output: the residual.</param>
    public override Tensor forward(Tensor hidden_states, Tensor input_tensor)
    {
        using var scope = NewDisposeScope();
        hidden_states = dense.call(hidden_states);
        hidden_states = LayerNorm.call(hidden_states + input_tensor);
        return hidden_states.MoveToOuterDisposeScope();
    }
}
