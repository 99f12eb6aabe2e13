using static TorchSharp.torch;

namespace MultiModalSearch.Models.Clip;

/// <summary>What a tower returns: every token's final state and the pooled (class or end-of-text) state.</summary>
public sealed class ClipTowerOutput(Tensor lastHiddenState, Tensor pooledOutput) : IDisposable
{
    /// <summary>[batch, tokens, width]. Vision: before post_layernorm. Text: after final_layer_norm (as Hugging Face).</summary>
    public Tensor LastHiddenState { get; } = lastHiddenState;

    /// <summary>[batch, width], layer-normalised, not yet projected.</summary>
    public Tensor PooledOutput { get; } = pooledOutput;

    public void Dispose()
    {
        LastHiddenState.Dispose();
        PooledOutput.Dispose();
    }
}
