using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Abstractions.Access;

/// <summary>
/// Collection visibility and API keys. Always on the primary database: a key revoked or a collection made private
/// takes effect at once, whatever a read replica lags behind.
/// </summary>
public interface IAccessStore
{
    /// <summary>The collection and its visibility, or null.</summary>
    Task<(Collection Collection, CollectionVisibility Visibility)?> FindAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every collection with its visibility and counts, by name.</summary>
    Task<IReadOnlyList<CollectionEntry>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Returns false when there is no such collection.</summary>
    Task<bool> SetVisibilityAsync(string name, CollectionVisibility visibility, CancellationToken cancellationToken = default);

    /// <summary>Stores a new key by the hash of its secret; returns its id.</summary>
    Task<long> CreateKeyAsync(Collection collection, ApiKeyAccess access, byte[] secretHash, CancellationToken cancellationToken = default);

    /// <summary>Returns false when no live key has this id.</summary>
    Task<bool> RevokeKeyAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>The live (not revoked) key whose secret hashes to <paramref name="secretHash"/>, or null.</summary>
    Task<ApiKeyRecord?> FindKeyAsync(byte[] secretHash, CancellationToken cancellationToken = default);

    /// <summary>The collections (ids, with their visibility) in which this content is indexed.</summary>
    Task<IReadOnlyList<(Collection Collection, CollectionVisibility Visibility)>> CollectionsHoldingAsync(byte[] contentHash, CancellationToken cancellationToken = default);

    /// <summary>A secret shared by every service process on this database (signing URLs); created on first use.</summary>
    Task<byte[]> ServiceSecretAsync(CancellationToken cancellationToken = default);
}
