using MultiModalSearch.Models.Compute;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Llama;

/// <summary>
/// Causal self-attention with rotary positions and grouped-query heads (LlamaAttention): key/value head j serves query
/// heads j*n_rep .. j*n_rep+n_rep-1. With a cache, the new positions' keys and values are stored and attention runs
/// over everything stored so far.
/// </summary>
public sealed class LlamaAttention : Module<Tensor, LlamaRotaryPositions, LlamaLayerCache?, Tensor>
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear o_proj;
    private readonly long numHeads;
    private readonly long numKeyValueHeads;
    private readonly long headDim;

    public LlamaAttention(LlamaConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(LlamaAttention))
    {
        numHeads = config.NumAttentionHeads;
        numKeyValueHeads = config.NumKeyValueHeads;
        headDim = config.HeadDim;
        q_proj = Linear(config.HiddenSize, numHeads * headDim, hasBias: config.AttentionBias, device: device, dtype: dtype);
        k_proj = Linear(config.HiddenSize, numKeyValueHeads * headDim, hasBias: config.AttentionBias, device: device, dtype: dtype);
        v_proj = Linear(config.HiddenSize, numKeyValueHeads * headDim, hasBias: config.AttentionBias, device: device, dtype: dtype);
        o_proj = Linear(numHeads * headDim, config.HiddenSize, hasBias: config.AttentionBias, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden_states, LlamaRotaryPositions positions, LlamaLayerCache? cache)
    {
        using var scope = NewDisposeScope();
        var (batch, length) = (hidden_states.shape[0], hidden_states.shape[1]);
        // [batch, length, hidden] -> [batch, heads, length, head_dim]
        var query = SingleRowLinear.Forward(q_proj, hidden_states).view(batch, length, numHeads, headDim).transpose(1, 2);
        var key = SingleRowLinear.Forward(k_proj, hidden_states).view(batch, length, numKeyValueHeads, headDim).transpose(1, 2);
        var value = SingleRowLinear.Forward(v_proj, hidden_states).view(batch, length, numKeyValueHeads, headDim).transpose(1, 2);
        query = positions.Apply(query);
        key = positions.Apply(key);
        if (cache is not null)
        {
            (key, value) = cache.Append(key, value);
        }

        var attended = length == 1 ? AttendOnePosition(query, key, value) : AttendCausally(query, key, value);
        // [batch, heads, length, head_dim] -> [batch, length, heads * head_dim]
        var merged = attended.transpose(1, 2).reshape(batch, length, numHeads * headDim);
        return SingleRowLinear.Forward(o_proj, merged).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A decoding step sees every stored position, so no mask is needed, and the n_rep query heads that share a key/value
    /// head can be stacked as n_rep "positions" of that head: no copy of the cache per step.
    /// </summary>
    private Tensor AttendOnePosition(Tensor query, Tensor key, Tensor value)
    {
        var batch = query.shape[0];
        var groups = numHeads / numKeyValueHeads;
        // [batch, heads, 1, head_dim] -> [batch, kv_heads, n_rep, head_dim]
        var grouped = query.reshape(batch, numKeyValueHeads, groups, headDim);
        var attended = nn.functional.scaled_dot_product_attention(grouped, key, value);
        return attended.reshape(batch, numHeads, 1, headDim);
    }

    private Tensor AttendCausally(Tensor query, Tensor key, Tensor value)
    {
        var length = query.shape[2];
        var total = key.shape[2];
        key = RepeatKeyValue(key);
        value = RepeatKeyValue(value);
        if (total == length)
        {
            return nn.functional.scaled_dot_product_attention(query, key, value, is_casual: true);
        }

        // Positions already in the cache come first: new position i may see stored positions 0 .. past + i.
        var past = total - length;
        var rows = torch.arange(length, device: query.device).unsqueeze(1);
        var columns = torch.arange(total, device: query.device).unsqueeze(0);
        var allowed = columns <= rows + past;
        return nn.functional.scaled_dot_product_attention(query, key, value, attn_mask: allowed);
    }

    /// <summary>[batch, kv_heads, positions, head_dim] -> [batch, heads, positions, head_dim] (repeat_kv).</summary>
    private Tensor RepeatKeyValue(Tensor x)
    {
        var groups = numHeads / numKeyValueHeads;
        if (groups == 1)
        {
            return x;
        }

        var (batch, positions) = (x.shape[0], x.shape[2]);
        return x.unsqueeze(2).expand(batch, numKeyValueHeads, groups, positions, headDim).reshape(batch, numHeads, positions, headDim);
    }
}
