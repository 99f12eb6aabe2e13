namespace MultiModalSearch.Training.Llava;

/// <summary>One optimizer step's report; <see cref="EpochLoss"/> (the epoch's mean loss) is set on the step that closes an epoch.</summary>
public sealed record LlavaTrainingProgress(
    int Epoch,
    int Epochs,
    int Step,
    int TotalSteps,
    double Loss,
    double LearningRate,
    double SamplesPerSecond)
{
    public double? EpochLoss { get; init; }
}
