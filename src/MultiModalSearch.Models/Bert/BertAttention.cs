using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Bert;

/// <summary>Self-attention plus its output block (BertAttention); keys <c>attention.self.*</c> and <c>attention.output.*</c>.</summary>
public sealed class BertAttention : Module<Tensor, Tensor?, Tensor>
{
    private readonly BertSelfAttention self;
    private readonly BertSelfOutput output;

    public BertAttention(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertAttention))
    {
        self = new BertSelfAttention(config, device, dtype);
        output = new BertSelfOutput(config, device, dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden_states, Tensor? attention_mask)
    {
        using var scope = NewDisposeScope();
        var attended = self.call(hidden_states, attention_mask);
        return output.call(attended, hidden_states).MoveToOuterDisposeScope();
    }
}
