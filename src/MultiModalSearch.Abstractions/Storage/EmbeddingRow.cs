namespace MultiModalSearch.Abstractions.Storage;

/// <summary>The embedding of one content (SHA-256 <see cref="ContentHash"/>), shared by every path with that content.</summary>
public sealed record EmbeddingRow(byte[] ContentHash, float[] Embedding);
