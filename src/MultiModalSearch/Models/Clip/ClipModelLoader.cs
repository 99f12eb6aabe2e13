using MultiModalSearch.Inference;
using MultiModalSearch.Models.Checkpoints;
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
        var model = new ClipModel(config);
        try
        {
            checkpoint.LoadInto(model);
            model.to(compute.DType).to(compute.Device);
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
