namespace MultiModalSearch.Models.Checkpoints;

/// <summary>
/// How one architecture's stored state-dict keys become the keys of our modules (which follow the Hugging Face names).
/// A stored tensor may feed several parameters (a fused projection split into q, k, v) or be transformed on the way.
/// </summary>
public interface ICheckpointKeyMap
{
    /// <summary>Keys that carry no weights (buffers such as <c>position_ids</c>, bookkeeping scalars); skipped silently.</summary>
    bool IsIgnorable(string storedKey);

    /// <summary>The module keys <paramref name="storedKey"/> loads into; empty when it maps onto nothing we have.</summary>
    IReadOnlyList<(string Key, TensorTransform Transform)> Map(string storedKey);
}
