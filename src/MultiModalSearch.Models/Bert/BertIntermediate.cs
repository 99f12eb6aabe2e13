using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Bert;

/// <summary>The feed-forward block's widening layer and activation (BertIntermediate); keys <c>intermediate.dense.*</c>.</summary>
public sealed class BertIntermediate : Module<Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly string activation;

    public BertIntermediate(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertIntermediate))
    {
        activation = config.HiddenAct;
        dense = Linear(config.HiddenSize, config.IntermediateSize, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden_states)
    {
        using var scope = NewDisposeScope();
        hidden_states = dense.call(hidden_states);
        return BertActivation.Apply(activation, hidden_states).MoveToOuterDisposeScope();
    }
}
