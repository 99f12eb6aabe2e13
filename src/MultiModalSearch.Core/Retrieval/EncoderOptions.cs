using MultiModalSearch.Models.Compute;

namespace MultiModalSearch.Core.Retrieval;

/// <summary>Where the query encoders run. Queries are single texts or images: full precision, so scores match the reference.</summary>
public sealed record EncoderOptions
{
    /// <summary>auto (CUDA when present), cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "auto";

    public ComputeOptions Resolve() => ComputeOptions.Resolve(Device, "auto", Workload.Exact);
}
