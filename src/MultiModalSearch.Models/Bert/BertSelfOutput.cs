using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Bert;

/// <summary>Attention output projection, residual and post-LayerNorm (BertSelfOutput); keys <c>attention.output.*</c>.</summary>
public sealed class BertSelfOutput : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;

    public BertSelfOutput(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertSelfOutput))
    {
        dense = Linear(config.HiddenSize, config.HiddenSize, device: device, dtype: dtype);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <param name="hidden_states">The attention's merged heads.</param>
    /// <param name="input_tensor">The block's input: the residual.</param>
    public override Tensor forward(Tensor hidden_states, Tensor input_tensor)
    {
        using var scope = NewDisposeScope();
        hidden_states = dense.call(hidden_states);
        hidden_states = LayerNorm.call(hidden_states + input_tensor);
        return hidden_states.MoveToOuterDisposeScope();
    }
}
