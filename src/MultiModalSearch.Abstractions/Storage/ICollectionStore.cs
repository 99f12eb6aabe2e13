namespace MultiModalSearch.Abstractions.Storage;

/// <summary>Collections: a name, the one model that embeds everything in it, and what it holds.</summary>
public interface ICollectionStore
{
    /// <summary>
    /// Opens a collection, creating it (with its search index) when missing. A model is the same when its fingerprint is
    /// (whatever its id or path); without fingerprints, when its id is. Opening it with another model, dimension or explicit
    /// precision throws <see cref="CollectionMismatchException"/>. <paramref name="precision"/> only matters at creation;
    /// a collection without a recorded fingerprint gets <paramref name="modelFingerprint"/>.
    /// </summary>
    Task<Collection> OpenAsync(string name, string modelId, int embeddingDim, EmbeddingPrecision? precision = null, string? modelFingerprint = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a collection with everything in it; false when there was none.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The collection with this name, or null.</summary>
    Task<Collection?> FindAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Counts by status; <paramref name="lease"/> decides which pending claims count as in progress.</summary>
    Task<CollectionStatus> GetStatusAsync(Collection collection, TimeSpan? lease = null, CancellationToken cancellationToken = default);

    /// <summary>The most recent failures, newest first.</summary>
    Task<IReadOnlyList<AssetFailure>> GetRecentFailuresAsync(Collection collection, int limit = 20, CancellationToken cancellationToken = default);
}
