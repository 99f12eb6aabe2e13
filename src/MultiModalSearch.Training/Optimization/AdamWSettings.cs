namespace MultiModalSearch.Training.Optimization;

/// <summary>AdamW hyper-parameters. Defaults are CLIP's (beta2 0.98 and eps 1e-6 keep large-batch contrastive training stable).</summary>
public sealed record AdamWSettings
{
    public double Beta1 { get; init; } = 0.9;

    public double Beta2 { get; init; } = 0.98;

    public double Epsilon { get; init; } = 1e-6;

    public double WeightDecay { get; init; } = 0.2;
}
