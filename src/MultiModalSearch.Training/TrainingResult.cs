using MultiModalSearch.Training.Evaluation;

namespace MultiModalSearch.Training;

/// <summary>What a run did: every step it took (a resumed run lists only its own) and the last evaluation.</summary>
public sealed record TrainingResult(IReadOnlyList<TrainingProgress> Steps, RetrievalResult? Evaluation, bool Completed);
