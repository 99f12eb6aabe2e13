using MultiModalSearch.Abstractions.Errors;
using MultiModalSearch.Models.Clip;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Training.Data;
using MultiModalSearch.Training.Inputs;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training;

/// <summary>Runs a <see cref="TrainingJob"/> end to end: data, model, training, Hugging Face folder.</summary>
public static class ClipTrainingRunner
{
    public static TrainingResult Run(TrainingJob job, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        job.Options.Validate();
        var train = CaptionDataset.Load(job.Data);
        var eval = job.EvalData is null ? null : CaptionDataset.Load(job.EvalData);
        // Seeded before the model exists so from-scratch initialisation and augmentation draws are reproducible.
        torch.manual_seed(job.Options.Seed);
        using var model = CreateModel(job);
        ModelFolderWriter.WriteAssets(job.Output, model.Config, job.AssetSource);
        var batches = new ClipBatchBuilder(ClipInputEncoder.FromModelDirectory(job.Output));
        if (batches.ImageSize != model.Config.Vision.ImageSize)
        {
            throw new InvalidDataException(
                $"{job.Output}/preprocessor_config.json crops to {batches.ImageSize} px but the model expects {model.Config.Vision.ImageSize} px");
        }

        using var trainer = new ClipTrainer(model, job.Options, batches);
        var result = trainer.Train(train, eval, job.CheckpointDirectory, job.Resume, progress, cancellationToken);
        if (result.Completed)
        {
            ModelFolderWriter.WriteWeights(job.Output, model, job.SaveDType);
            if (result.Evaluation is { } last)
            {
                File.WriteAllText(Path.Combine(job.Output, "eval.json"), last.ToJson());
            }
        }

        return result;
    }

    private static ClipModel CreateModel(TrainingJob job)
    {
        var device = job.Options.Compute.Device;
        if (job.InitIsConfig)
        {
            var model = new ClipModel(ClipConfig.Load(job.Init));
            ClipInitializer.Initialize(model);
            return model.to(device);
        }

        if (!Directory.Exists(job.Init))
        {
            throw new InvalidSettingException("init", $"must be a model folder or a config.json file (not found: {job.Init})");
        }

        // Master weights are float32 whatever the compute precision; the trainer makes the half-precision copy.
        return ClipModelLoader.Load(job.Init, new ComputeOptions(device, ScalarType.Float32));
    }
}
