using MultiModalSearch.Models.Compute;

namespace MultiModalSearch.Models.Inference;

/// <summary>How the image pipeline sizes its batches, workers and queues.</summary>
public sealed record PipelineOptions
{
    /// <summary>Images per model call. 0 picks the device default.</summary>
    public int BatchSize { get; init; }

    /// <summary>Parallel decode and preprocess workers. 0 picks the device default.</summary>
    public int Workers { get; init; }

    /// <summary>Emit results in input order (embed) or as they complete (indexing, where order does not matter).</summary>
    public bool PreserveOrder { get; init; } = true;

    /// <summary>
    /// On a GPU the model outruns decoding, so every core decodes and batches are large. On a CPU the model is the
    /// bottleneck: torch's threads take the cores and one decoder per two cores keeps it fed (measured in docs/benchmarks.md).
    /// </summary>
    public PipelineOptions Resolve(ComputeOptions compute)
    {
        var cores = Environment.ProcessorCount;
        return this with
        {
            BatchSize = BatchSize > 0 ? BatchSize : compute.IsCuda ? 256 : 32,
            Workers = Workers > 0 ? Workers : compute.IsCuda ? cores : Math.Max(1, cores / 2),
        };
    }
}
