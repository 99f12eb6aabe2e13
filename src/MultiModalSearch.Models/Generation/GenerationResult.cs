namespace MultiModalSearch.Models.Generation;

/// <summary>A finished generation: the prompt's ids (images expanded), the generated ids (an end-of-sequence id included, as transformers keeps it) and their text.</summary>
public sealed record GenerationResult(IReadOnlyList<int> InputIds, IReadOnlyList<int> GeneratedIds, string Text, GenerationFinishReason FinishReason);
