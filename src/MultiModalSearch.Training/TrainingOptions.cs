using MultiModalSearch.Abstractions.Errors;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Training.Augmentation;
using MultiModalSearch.Training.Optimization;

namespace MultiModalSearch.Training;

/// <summary>Hyper-parameters and bookkeeping settings of a contrastive training run.</summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 10;

    /// <summary>Pairs per optimizer step: the contrastive batch whose other pairs are the negatives.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>
    /// Splits each batch into this many micro-batches for memory. The loss is still computed over the whole batch
    /// (features of the other micro-batches are cached, as open_clip's accum_freq), so results match accumulate = 1.
    /// </summary>
    public int Accumulate { get; init; } = 1;

    public double LearningRate { get; init; } = 5e-4;

    public int WarmupSteps { get; init; } = 100;

    public AdamWSettings Optimizer { get; init; } = new();

    public TowerFreeze Freeze { get; init; } = TowerFreeze.None;

    /// <summary>Trains only the two projections and the temperature (a linear probe of the joint space).</summary>
    public bool ProjectionsOnly { get; init; }

    public int Seed { get; init; }

    /// <summary>Writes a resumable checkpoint every N optimizer steps (0: only at epoch ends).</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>
    /// Where and in which precision forward and backward run. Half precisions keep float32 master weights and
    /// moments (TorchSharp has no autocast); see <see cref="PrecisionMirror"/>.
    /// </summary>
    public ComputeOptions Compute { get; init; } = ComputeOptions.Cpu;

    /// <summary>Random changes to training images (geometry, colour, line weight, detail); none by default.</summary>
    public ImageAugmentationOptions Augmentation { get; init; } = ImageAugmentationOptions.None;

    public int EvalBatchSize { get; init; } = 128;

    /// <summary>Evaluates on the held-out pairs every N epochs (and always after the last one).</summary>
    public int EvalEvery { get; init; } = 1;

    public void Validate()
    {
        Require(Epochs > 0, "epochs", $"must be positive (got {Epochs})");
        Require(BatchSize >= 2, "batch_size", $"must be at least 2: a contrastive batch needs negatives (got {BatchSize})");
        Require(Accumulate >= 1 && Accumulate <= BatchSize, "accumulate", $"must be between 1 and the batch size (got {Accumulate})");
        Require(LearningRate > 0, "lr", $"must be positive (got {LearningRate})");
        Require(WarmupSteps >= 0, "warmup", $"must not be negative (got {WarmupSteps})");
        Require(EvalEvery >= 1, "eval_every", $"must be at least 1 (got {EvalEvery})");
        Require(CheckpointEvery >= 0, "checkpoint_every", $"must not be negative (got {CheckpointEvery})");
        Augmentation.Validate();
        Require(!(ProjectionsOnly && Freeze != TowerFreeze.None), "projections_only", $"already freezes both towers; drop the tower freeze");
    }

    private static void Require(bool condition, string setting, string message)
    {
        if (!condition)
        {
            throw new InvalidSettingException(setting, message);
        }
    }
}
