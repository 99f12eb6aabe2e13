using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Bert;

/// <summary>The stack of residual blocks (BertEncoder); keys <c>encoder.layer.{i}.*</c>.</summary>
public sealed class BertEncoder : Module<Tensor, Tensor?, Tensor>
{
    private readonly ModuleList<BertLayer> layer;

    public BertEncoder(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertEncoder))
    {
        layer = new ModuleList<BertLayer>(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new BertLayer(config, device, dtype)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden_states, Tensor? attention_mask)
    {
        using var scope = NewDisposeScope();
        foreach (var block in layer)
        {
            hidden_states = block.call(hidden_states, attention_mask);
        }

        return hidden_states.MoveToOuterDisposeScope();
    }
}
