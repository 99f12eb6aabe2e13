using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MultiModalSearch.Models.Clip;

/// <summary>The stack of residual blocks (CLIPEncoder); keys <c>encoder.layers.{i}.*</c>.</summary>
public sealed class ClipEncoder : Module<Tensor, Tensor>
{
    private readonly ModuleList<ClipEncoderLayer> layers;

    public ClipEncoder(ClipEncoderConfig config, bool causal, Device? device = null, ScalarType? dtype = null) : base(nameof(ClipEncoder))
    {
        layers = new ModuleList<ClipEncoderLayer>(
            Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new ClipEncoderLayer(config, causal, device, dtype)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden_states)
    {
        using var scope = NewDisposeScope();
        foreach (var layer in layers)
        {
            hidden_states = layer.call(hidden_states);
        }

        return hidden_states.MoveToOuterDisposeScope();
    }
}
