using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Llama;

/// <summary>One layer's stored keys and values, [batch, key_value_heads, capacity, head_dim] each.</summary>
public sealed class LlamaLayerCache : IDisposable
{
    private readonly LlamaKvCache owner;
    private long capacity;
    private Tensor? keys;
    private Tensor? values;

    internal LlamaLayerCache(LlamaKvCache owner, long capacity)
    {
        this.owner = owner;
        this.capacity = Math.Max(1, capacity);
    }

    /// <summary>
    /// Stores the new positions' keys and values (written at the cache's current length) and returns views of all of
    /// them so far, [batch, key_value_heads, length + new, head_dim].
    /// </summary>
    public (Tensor Keys, Tensor Values) Append(Tensor newKeys, Tensor newValues)
    {
        var start = owner.Length;
        var count = newKeys.shape[2];
        Reserve(newKeys, start + count);
        keys!.narrow(2, start, count).copy_(newKeys);
        values!.narrow(2, start, count).copy_(newValues);
        return (keys.narrow(2, 0, start + count), values!.narrow(2, 0, start + count));
    }

    public void Dispose()
    {
        keys?.Dispose();
        values?.Dispose();
    }

    private void Reserve(Tensor like, long needed)
    {
        if (keys is not null && needed <= keys.shape[2])
        {
            return;
        }

        if (needed > capacity)
        {
            capacity = (long)BitOperations.RoundUpToPowerOf2((ulong)needed);
        }

        var shape = new[] { like.shape[0], like.shape[1], capacity, like.shape[3] };
        var grownKeys = torch.empty(shape, like.dtype, like.device).DetachFromDisposeScope();
        var grownValues = torch.empty(shape, like.dtype, like.device).DetachFromDisposeScope();
        if (keys is not null)
        {
            using var scope = NewDisposeScope();
            var stored = owner.Length;
            grownKeys.narrow(2, 0, stored).copy_(keys.narrow(2, 0, stored));
            grownValues.narrow(2, 0, stored).copy_(values!.narrow(2, 0, stored));
            keys.Dispose();
            values!.Dispose();
        }

        keys = grownKeys;
        values = grownValues;
    }
}
