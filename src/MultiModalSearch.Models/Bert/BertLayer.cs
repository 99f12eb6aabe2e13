using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Bert;

/// <summary>
/// One post-LayerNorm residual block (BertLayer): attention, then the feed-forward block, each added to its input and
/// then normalised (BERT normalises after the residual, CLIP before); keys <c>encoder.layer.{i}.*</c>.
/// </summary>
public sealed class BertLayer : Module<Tensor, Tensor?, Tensor>
{
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertOutput output;

    public BertLayer(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertLayer))
    {
        attention = new BertAttention(config, device, dtype);
        intermediate = new BertIntermediate(config, device, dtype);
        output = new BertOutput(config, device, dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden_states, Tensor? attention_mask)
    {
        using var scope = NewDisposeScope();
        // LayerNorm(hidden_states + attention(hidden_states))
        var attention_output = attention.call(hidden_states, attention_mask);
        // LayerNorm(attention_output + fc2(act(fc1(attention_output))))
        var intermediate_output = intermediate.call(attention_output);
        hidden_states = output.call(intermediate_output, attention_output);
        return hidden_states.MoveToOuterDisposeScope();
    }
}
