namespace MultiModalSearch.Training.Llava;

/// <summary>What a run produced: the per-epoch mean losses and, with held-out data, how well the saved model names its images.</summary>
public sealed record LlavaTrainingResult(IReadOnlyList<double> EpochLosses, NamingResult? Evaluation, bool Completed);
