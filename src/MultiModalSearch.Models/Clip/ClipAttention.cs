using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MultiModalSearch.Models.Clip;

/// <summary>Multi-head self-attention (CLIPAttention): separate q, k, v projections as in Hugging Face checkpoints.</summary>
public sealed class ClipAttention : Module<Tensor, Tensor>
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear out_proj;
    private readonly long numHeads;
    private readonly long headDim;
    private readonly bool causal;

    public ClipAttention(ClipEncoderConfig config, bool causal, Device? device = null, ScalarType? dtype = null) : base(nameof(ClipAttention))
    {
        numHeads = config.NumAttentionHeads;
        headDim = config.HeadDim;
        this.causal = causal;
        q_proj = Linear(config.HiddenSize, config.HiddenSize, device: device, dtype: dtype);
        k_proj = Linear(config.HiddenSize, config.HiddenSize, device: device, dtype: dtype);
        v_proj = Linear(config.HiddenSize, config.HiddenSize, device: device, dtype: dtype);
        out_proj = Linear(config.HiddenSize, config.HiddenSize, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden_states)
    {
        using var scope = NewDisposeScope();
        var (batch, tokens, width) = (hidden_states.shape[0], hidden_states.shape[1], hidden_states.shape[2]);
        // [batch, tokens, width] -> [batch, heads, tokens, head_dim]
        var query = SplitHeads(q_proj.call(hidden_states), batch, tokens);
        var key = SplitHeads(k_proj.call(hidden_states), batch, tokens);
        var value = SplitHeads(v_proj.call(hidden_states), batch, tokens);
        // The text tower is causal; the fused kernel scales by 1/sqrt(head_dim) like the reference.
        var attended = nn.functional.scaled_dot_product_attention(query, key, value, is_casual: causal);
        // [batch, heads, tokens, head_dim] -> [batch, tokens, width]
        var merged = attended.transpose(1, 2).reshape(batch, tokens, width);
        return out_proj.call(merged).MoveToOuterDisposeScope();
    }

    private Tensor SplitHeads(Tensor x, long batch, long tokens) => x.view(batch, tokens, numHeads, headDim).transpose(1, 2);
}
