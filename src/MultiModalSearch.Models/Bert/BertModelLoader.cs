using MultiModalSearch.Models.Checkpoints;
using MultiModalSearch.Models.Compute;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace MultiModalSearch.Models.Bert;

/// <summary>Builds BERT models from a checkpoint folder (config.json plus safetensors weights), on their device and in their dtype.</summary>
public static class BertModelLoader
{
    /// <summary>A <see cref="BertModel"/>, with the pooler when the checkpoint has one.</summary>
    public static BertModel LoadEncoder(string directory, ComputeOptions? compute = null)
    {
        compute ??= ComputeOptions.Cpu;
        var config = BertConfig.Load(Path.Combine(directory, "config.json"));
        using var checkpoint = BertCheckpoint.OpenEncoder(directory);
        return LoadInto(new BertModel(config, BertCheckpoint.HasPooler(checkpoint), compute.Device, compute.DType), checkpoint, compute);
    }

    /// <summary>A <see cref="BertForSequenceClassification"/> (keys <c>bert.*</c> and <c>classifier.*</c>).</summary>
    public static BertForSequenceClassification LoadClassifier(string directory, ComputeOptions? compute = null)
    {
        compute ??= ComputeOptions.Cpu;
        var config = BertConfig.Load(Path.Combine(directory, "config.json"));
        using var checkpoint = BertCheckpoint.OpenClassifier(directory);
        return LoadInto(new BertForSequenceClassification(config, compute.Device, compute.DType), checkpoint, compute);
    }

    internal static T LoadInto<T>(T model, Checkpoint checkpoint, ComputeOptions compute)
        where T : Module
    {
        try
        {
            checkpoint.LoadInto(model);
            // Tells TorchSharp's modules where their weights already are (see ClipModelLoader).
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
