using MultiModalSearch.Models.Compute;

namespace MultiModalSearch.Core.Retrieval;

/// <summary>
/// Where and how the query encoders run. The command line embeds single queries in full precision, so its scores match
/// the reference; the service may choose the faster precision of <see cref="Workload.Bulk"/> (bf16 on CPUs with bf16
/// units: cosine to fp32 above 0.9999, docs/benchmarks.md).
/// </summary>
public sealed record EncoderOptions
{
    /// <summary>auto (CUDA when present), cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>auto, fp32, fp16 or bf16; auto means what <see cref="Workload"/> prefers.</summary>
    public string DType { get; init; } = "auto";

    public Workload Workload { get; init; } = Workload.Exact;

    /// <summary>How long the text batcher waits for more queries once the encoder is busy (zero: never waits).</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>The most texts one forward pass embeds.</summary>
    public int MaxBatch { get; init; } = 32;

    /// <summary>How many text embeddings the LRU cache keeps per model (zero: no cache).</summary>
    public int CacheEntries { get; init; } = 10_000;

    public ComputeOptions Resolve() => ComputeOptions.Resolve(Device, DType, Workload);
}
