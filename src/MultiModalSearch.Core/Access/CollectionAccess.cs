using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Core.Retrieval;

namespace MultiModalSearch.Core.Access;

/// <summary>
/// The access rules, in one place. A private collection that the caller cannot read does not exist for them: the
/// same "not found" as a missing one, so its name cannot be probed. Writes need a write key of that collection.
/// </summary>
public sealed class CollectionAccess(IAccessStore store)
{
    /// <exception cref="CollectionNotFoundException">Missing, or private and the caller holds no key of it.</exception>
    public async Task<(Collection Collection, CollectionVisibility Visibility)> ReadableAsync(string name, Caller caller, CancellationToken cancellationToken = default)
    {
        var found = await store.FindAsync(name, cancellationToken);
        if (found is not { } entry || !caller.CanRead(entry.Collection.Id, entry.Visibility))
        {
            throw new CollectionNotFoundException(name);
        }

        return entry;
    }

    /// <exception cref="CollectionNotFoundException">As for reading.</exception>
    /// <exception cref="AuthenticationRequiredException">No key was sent.</exception>
    /// <exception cref="AccessDeniedException">The key cannot write this collection.</exception>
    public async Task<Collection> WritableAsync(string name, Caller caller, CancellationToken cancellationToken = default)
    {
        var (collection, _) = await ReadableAsync(name, caller, cancellationToken);
        if (caller.Key is null)
        {
            throw new AuthenticationRequiredException($"changing collection '{name}' needs an API key with write access");
        }

        if (!caller.CanWrite(collection.Id))
        {
            throw new AccessDeniedException($"this API key cannot change collection '{name}': it was created with read access only, or for another collection");
        }

        return collection;
    }

    /// <summary>The collections the caller may read, by name.</summary>
    public async Task<IReadOnlyList<CollectionEntry>> ListReadableAsync(Caller caller, CancellationToken cancellationToken = default) =>
        (await store.ListAsync(cancellationToken)).Where(e => caller.CanRead(e.Collection.Id, e.Visibility)).ToList();

    /// <summary>The collections holding this content that the caller may read (none: the content does not exist for them).</summary>
    public async Task<IReadOnlyList<(Collection Collection, CollectionVisibility Visibility)>> HoldingAsync(byte[] contentHash, Caller caller, CancellationToken cancellationToken = default) =>
        (await store.CollectionsHoldingAsync(contentHash, cancellationToken)).Where(e => caller.CanRead(e.Collection.Id, e.Visibility)).ToList();

    /// <summary>Every collection holding this content, readable or not: only for a caller who proved access otherwise (a signed URL).</summary>
    public Task<IReadOnlyList<(Collection Collection, CollectionVisibility Visibility)>> AllHoldingAsync(byte[] contentHash, CancellationToken cancellationToken = default) =>
        store.CollectionsHoldingAsync(contentHash, cancellationToken);
}
