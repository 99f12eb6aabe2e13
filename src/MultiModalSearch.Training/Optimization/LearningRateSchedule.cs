namespace MultiModalSearch.Training.Optimization;

/// <summary>Linear warm-up to the base rate, then a cosine decay to zero at the last step (as open_clip's cosine_lr).</summary>
public sealed record LearningRateSchedule(double BaseRate, int WarmupSteps, int TotalSteps)
{
    /// <summary>The rate for optimizer step <paramref name="step"/> (0-based).</summary>
    public double At(int step)
    {
        if (step < WarmupSteps)
        {
            return BaseRate * (step + 1) / WarmupSteps;
        }

        var decaySteps = Math.Max(1, TotalSteps - WarmupSteps);
        var progress = Math.Min(1.0, (double)(step - WarmupSteps) / decaySteps);
        return 0.5 * (1 + Math.Cos(Math.PI * progress)) * BaseRate;
    }
}
