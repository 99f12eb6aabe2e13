using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MultiModalSearch.Models.Clip;

/// <summary>The feed-forward block (CLIPMLP): fc1, activation, fc2.</summary>
public sealed class ClipMlp : Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly string activation;

    public ClipMlp(ClipEncoderConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(ClipMlp))
    {
        activation = config.HiddenAct;
        fc1 = Linear(config.HiddenSize, config.IntermediateSize, device: device, dtype: dtype);
        fc2 = Linear(config.IntermediateSize, config.HiddenSize, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden_states)
    {
        using var scope = NewDisposeScope();
        hidden_states = fc1.call(hidden_states);
        hidden_states = ClipActivation.Apply(activation, hidden_states);
        return fc2.call(hidden_states).MoveToOuterDisposeScope();
    }
}
