namespace MultiModalSearch.Training.Checkpointing;

/// <summary>
/// Where a run stands, written next to the weights so a resumed run continues exactly: the next batch to train,
/// the epoch's data order, and the settings that must not change across a resume.
/// </summary>
public sealed record TrainingState
{
    /// <summary>Optimizer steps taken.</summary>
    public int Step { get; init; }

    /// <summary>0-based epoch of the next batch.</summary>
    public int Epoch { get; init; }

    /// <summary>0-based index, within <see cref="Epoch"/>, of the next batch.</summary>
    public int Batch { get; init; }

    public int Seed { get; init; }

    public int BatchSize { get; init; }

    public int Epochs { get; init; }

    public int DataCount { get; init; }

    /// <summary>The current epoch's image order and caption choices (recomputable from the seed; stored as a check).</summary>
    public int[] Order { get; init; } = [];

    public int[] Captions { get; init; } = [];

    public double? LastLoss { get; init; }
}
