namespace MultiModalSearch.Abstractions.Storage;

/// <summary>A named set of assets embedded with one model. <see cref="CreatedAt"/> is UTC.</summary>
public sealed record Collection(int Id, string Name, string ModelId, int EmbeddingDim, EmbeddingPrecision Precision, DateTime CreatedAt);
