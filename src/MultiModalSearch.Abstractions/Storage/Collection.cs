namespace MultiModalSearch.Abstractions.Storage;

/// <summary>
/// A named set of assets embedded with one model. <see cref="ModelFingerprint"/> says what that model is (null for a
/// collection made before fingerprints were recorded, until it is next opened for indexing). <see cref="CreatedAt"/> is UTC.
/// </summary>
public sealed record Collection(int Id, string Name, string ModelId, int EmbeddingDim, EmbeddingPrecision Precision, DateTime CreatedAt, string? ModelFingerprint = null);
