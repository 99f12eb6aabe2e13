using MultiModalSearch.Models.Compute;
using TorchSharp;

namespace MultiModalSearch.Models.Clip;

/// <summary>Builds a <see cref="ClipModel"/> from a checkpoint folder (config.json plus safetensors weights).</summary>
public static class ClipModelLoader
{
    public static ClipModel Load(string directory, ComputeOptions? compute = null)
    {
        compute ??= ComputeOptions.Cpu;
        var config = ClipConfig.Load(Path.Combine(directory, "config.json"));
        using var checkpoint = ClipCheckpoint.Open(directory);
        // Built where it will run, in the dtype it will run in: the random initial weights (overwritten next) then
        // cost half the memory in bf16, and no float32 copy of the model is made on the CPU first and then converted.
        var model = new ClipModel(config, compute.Device, compute.DType);
        try
        {
            checkpoint.LoadInto(model);
            // Moves nothing (the weights are already there) but tells TorchSharp's modules where they are: a module
            // built on a GPU still records the CPU, and a later .to(CPU) would then be skipped.
            model.to(compute.Device);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
