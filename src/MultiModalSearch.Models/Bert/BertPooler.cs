using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Bert;

/// <summary>tanh(dense(first token)) (BertPooler); keys <c>pooler.dense.*</c>. Classification heads read it; sentence embedders do not.</summary>
public sealed class BertPooler : Module<Tensor, Tensor>
{
    private readonly Linear dense;

    public BertPooler(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertPooler))
    {
        dense = Linear(config.HiddenSize, config.HiddenSize, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <param name="hidden_states">[batch, tokens, width]; the [CLS] row is pooled.</param>
    public override Tensor forward(Tensor hidden_states)
    {
        using var scope = NewDisposeScope();
        return torch.tanh(dense.call(hidden_states.select(1, 0))).MoveToOuterDisposeScope();
    }
}
