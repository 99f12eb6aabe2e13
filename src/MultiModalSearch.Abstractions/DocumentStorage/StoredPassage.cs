using MultiModalSearch.Abstractions.Documents;

namespace MultiModalSearch.Abstractions.DocumentStorage;

/// <summary>A passage as stored: the chunker's passage and its text embedding (null without a text embedder).</summary>
public sealed record StoredPassage(Passage Passage, float[]? Embedding);
