namespace MultiModalSearch.Abstractions.Storage;

/// <summary>
/// Counts for one collection. <see cref="Indexed"/>, <see cref="Failed"/>, <see cref="Pending"/> and
/// <see cref="Removed"/> count paths; <see cref="InProgress"/> is the part of <see cref="Pending"/> under a live
/// claim; <see cref="Embeddings"/> counts distinct embedded contents (fewer than paths when files are duplicated).
/// </summary>
public sealed record CollectionStatus(long Pending, long InProgress, long Indexed, long Failed, long Removed, long Embeddings);
