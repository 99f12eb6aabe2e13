using MultiModalSearch.Training.Evaluation;

namespace MultiModalSearch.Training;

/// <summary>One optimizer step's report; <see cref="Evaluation"/> is set on the report that closes an epoch with eval data.</summary>
public sealed record TrainingProgress(
    int Epoch,
    int Epochs,
    int Step,
    int TotalSteps,
    double Loss,
    double LearningRate,
    double SamplesPerSecond,
    double LogitScale)
{
    public RetrievalResult? Evaluation { get; init; }

    public bool EpochEnd { get; init; }
}
