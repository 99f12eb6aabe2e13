namespace MultiModalSearch.Abstractions.Storage;

/// <summary>
/// One distinct content near the query, with every indexed path holding it (sorted). Duplicated files are one
/// hit, not k copies of the same image. <see cref="Score"/> is the cosine similarity (1 - cosine distance).
/// </summary>
public sealed record SearchHit(byte[] ContentHash, double Score, string[] Paths);
