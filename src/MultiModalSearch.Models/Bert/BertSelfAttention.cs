using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Bert;

/// <summary>Multi-head self-attention over the unmasked tokens (BertSelfAttention); keys <c>attention.self.{query,key,value}</c>.</summary>
public sealed class BertSelfAttention : Module<Tensor, Tensor?, Tensor>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly long numHeads;
    private readonly long headDim;

    public BertSelfAttention(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertSelfAttention))
    {
        numHeads = config.NumAttentionHeads;
        headDim = config.HeadDim;
        query = Linear(config.HiddenSize, config.HiddenSize, device: device, dtype: dtype);
        key = Linear(config.HiddenSize, config.HiddenSize, device: device, dtype: dtype);
        value = Linear(config.HiddenSize, config.HiddenSize, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <param name="hidden_states">[batch, tokens, width].</param>
    /// <param name="attention_mask">[batch, 1, 1, tokens] bool, true where a token may be attended to; null when none is padding.</param>
    public override Tensor forward(Tensor hidden_states, Tensor? attention_mask)
    {
        using var scope = NewDisposeScope();
        var (batch, tokens, width) = (hidden_states.shape[0], hidden_states.shape[1], hidden_states.shape[2]);
        // [batch, tokens, width] -> [batch, heads, tokens, head_dim]
        var q = SplitHeads(query.call(hidden_states), batch, tokens);
        var k = SplitHeads(key.call(hidden_states), batch, tokens);
        var v = SplitHeads(value.call(hidden_states), batch, tokens);
        // Scaled by 1/sqrt(head_dim) like the reference; masked keys get no weight.
        var attended = nn.functional.scaled_dot_product_attention(q, k, v, attention_mask);
        // [batch, heads, tokens, head_dim] -> [batch, tokens, width]
        return attended.transpose(1, 2).reshape(batch, tokens, width).MoveToOuterDisposeScope();
    }

    private Tensor SplitHeads(Tensor x, long batch, long tokens) => x.view(batch, tokens, numHeads, headDim).transpose(1, 2);
}
