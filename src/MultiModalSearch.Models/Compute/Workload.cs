namespace MultiModalSearch.Models.Compute;

/// <summary>What a command does with the model, which decides the automatic precision.</summary>
public enum Workload
{
    /// <summary>Results people compare with the reference model (embed, eval): full precision.</summary>
    Exact,

    /// <summary>Text generation: fp16 on CUDA (the precision LLaVA checkpoints are published in), fp32 on the CPU.</summary>
    Generation,

    /// <summary>Throughput work (indexing archives): the fastest precision that keeps cosine to fp32 above 0.9999.</summary>
    Bulk,

    /// <summary>Training: bf16 on CUDA (fp16 would need loss scaling), fp32 on CPU.</summary>
    Training,
}
