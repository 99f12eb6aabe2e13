using TorchSharp;
using MultiModalSearch.Models.Compute;

namespace MultiModalSearch.Models.Llava;

/// <summary>Builds a <see cref="LlavaForConditionalGeneration"/> from a checkpoint folder (config.json plus safetensors weights).</summary>
public static class LlavaModelLoader
{
    public static LlavaForConditionalGeneration Load(string directory, ComputeOptions? compute = null)
    {
        compute ??= ComputeOptions.Cpu;
        var config = LlavaConfig.Load(Path.Combine(directory, "config.json"));
        using var checkpoint = LlavaCheckpoint.Open(directory, config);
        // Built on its device in its dtype, then filled tensor by tensor from the memory-mapped files: a 7B model in
        // bf16 never exists in float32, and the checkpoint's pages leave the resident set once copied.
        var model = new LlavaForConditionalGeneration(config, compute.Device, compute.DType);
        try
        {
            checkpoint.LoadInto(model);
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
