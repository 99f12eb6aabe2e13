namespace MultiModalSearch.Models.Inference;

/// <summary>The outcome for one input: its embedding, or why it has none.</summary>
public sealed record EmbeddingResult<TInput>(long Index, TInput Input, float[]? Embedding, string? Error)
{
    public bool Succeeded => Embedding is not null;
}
