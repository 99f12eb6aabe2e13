using static TorchSharp.torch;

namespace MultiModalSearch.Models.Llama;

/// <summary>
/// Keys and values of every decoder layer for the positions processed so far, so that each generated token costs one
/// position's work instead of the whole sequence's. Storage is reserved for the whole generation up front (prompt plus
/// new tokens) and grows by doubling if a caller goes past it; tensors live outside any dispose scope and are freed
/// with the cache.
/// </summary>
public sealed class LlamaKvCache : IDisposable
{
    private readonly LlamaLayerCache[] layers;

    public LlamaKvCache(LlamaConfig config, long capacity = 256)
    {
        layers = Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new LlamaLayerCache(this, capacity)).ToArray();
    }

    /// <summary>Positions already stored; the next forward pass starts at this position.</summary>
    public long Length { get; private set; }

    public LlamaLayerCache this[int layer] => layers[layer];

    /// <summary>Called by the model once every layer has stored the new positions.</summary>
    internal void Advance(long count) => Length += count;

    public void Dispose()
    {
        foreach (var layer in layers)
        {
            layer.Dispose();
        }
    }
}
