namespace MultiModalSearch.Models.Generation;

/// <summary>
/// How to pick each new token and when to stop. Greedy (argmax) unless <see cref="DoSample"/>; sampling applies, in
/// transformers' order, the repetition penalty, temperature, top-k and top-p, then draws with a generator seeded by
/// <see cref="Seed"/>, so the same seed gives the same tokens.
/// </summary>
public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 256;

    public bool DoSample { get; init; }

    public double Temperature { get; init; } = 1.0;

    /// <summary>Keep the k most likely tokens; 0 keeps all.</summary>
    public int TopK { get; init; }

    /// <summary>Keep the most likely tokens whose probabilities add up to at least this; 1 keeps all.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Seed of the sampling generator; null draws one.</summary>
    public int? Seed { get; init; }

    /// <summary>Above 1 makes tokens already in the prompt or the output less likely (CTRL's penalty, as transformers applies it).</summary>
    public double RepetitionPenalty { get; init; } = 1.0;

    /// <summary>Generation stops before any of these texts; the text returned ends just before it.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>Token ids that end generation (not part of the output); null means the model's end-of-sequence ids.</summary>
    public IReadOnlyList<int>? StopTokenIds { get; init; }

    public static GenerationOptions Greedy(int maxNewTokens) => new() { MaxNewTokens = maxNewTokens };

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting and its value.</summary>
    public void Validate()
    {
        Require(MaxNewTokens >= 0, $"max new tokens must be zero or more (got {MaxNewTokens})");
        Require(!DoSample || (Temperature > 0 && double.IsFinite(Temperature)), $"temperature must be positive when sampling (got {Temperature})");
        Require(TopK >= 0, $"top-k must be zero (off) or positive (got {TopK})");
        Require(TopP > 0 && TopP <= 1, $"top-p must be in (0, 1] (got {TopP})");
        Require(RepetitionPenalty > 0 && double.IsFinite(RepetitionPenalty), $"repetition penalty must be positive (got {RepetitionPenalty})");
        Require(StopSequences.All(s => s.Length > 0), "stop sequences must not be empty strings");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
