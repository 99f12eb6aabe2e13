using MultiModalSearch.Training.Augmentation;

namespace MultiModalSearch.Training.Llava;

/// <summary>Hyper-parameters of a LLaVA answer-training run (vision tower frozen, projector and decoder trained).</summary>
public sealed record LlavaTrainingOptions
{
    /// <summary>The question asked about every image; the first one is also the one evaluated.</summary>
    public IReadOnlyList<string> Questions { get; init; } = ["What is shown in this figure?"];

    public LlavaModelShape Shape { get; init; } = new();

    public int Epochs { get; init; } = 20;

    public int BatchSize { get; init; } = 32;

    public double LearningRate { get; init; } = 3e-3;

    public int WarmupSteps { get; init; } = 100;

    /// <summary>AdamW weight decay on matrices (not on norms, biases or the token embedding table).</summary>
    public double WeightDecay { get; init; } = 0.05;

    /// <summary>Gradients are scaled down to this global norm when larger (0: no clipping).</summary>
    public double MaxGradientNorm { get; init; } = 1.0;

    public int Seed { get; init; }

    /// <summary>Random changes to the training images, as for CLIP training; none by default.</summary>
    public ImageAugmentationOptions Augmentation { get; init; } = ImageAugmentationOptions.None;

    /// <summary>Longest answer generated when evaluating, in tokens.</summary>
    public int MaxAnswerTokens { get; init; } = 32;

    public void Validate()
    {
        Require(Questions.Count > 0 && Questions.All(q => !string.IsNullOrWhiteSpace(q)), "at least one non-empty question is needed");
        Require(Epochs > 0, $"epochs must be positive (got {Epochs})");
        Require(BatchSize > 0, $"the batch size must be positive (got {BatchSize})");
        Require(LearningRate > 0, $"the learning rate must be positive (got {LearningRate})");
        Require(WarmupSteps >= 0, $"warm-up steps must not be negative (got {WarmupSteps})");
        Require(WeightDecay >= 0, $"weight decay must not be negative (got {WeightDecay})");
        Require(MaxGradientNorm >= 0, $"the gradient norm limit must not be negative (got {MaxGradientNorm})");
        Require(MaxAnswerTokens > 0, $"the answer length limit must be positive (got {MaxAnswerTokens})");
        Shape.Validate();
        Augmentation.Validate();
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
