using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Abstractions.Errors;
using MultiModalSearch.Core.Retrieval;

namespace MultiModalSearch.Core.Access;

/// <summary>Creating, revoking and checking API keys. A key belongs to one collection and reads it, or reads and writes it.</summary>
public sealed class ApiKeys(IAccessStore store)
{
    /// <exception cref="CollectionNotFoundException">No such collection.</exception>
    public async Task<CreatedApiKey> CreateAsync(string collection, ApiKeyAccess access, CancellationToken cancellationToken = default)
    {
        var found = await store.FindAsync(collection, cancellationToken) ?? throw new CollectionNotFoundException(collection);
        var secret = ApiKeySecret.Create();
        var id = await store.CreateKeyAsync(found.Collection, access, ApiKeySecret.Hash(secret)!, cancellationToken);
        return new CreatedApiKey(id, found.Collection.Name, access, secret);
    }

    /// <exception cref="InvalidSettingException">No live key has this id.</exception>
    public async Task RevokeAsync(long id, CancellationToken cancellationToken = default)
    {
        if (!await store.RevokeKeyAsync(id, cancellationToken))
        {
            throw new InvalidSettingException("id", $"{id} is not a live API key (never created, or already revoked)");
        }
    }

    /// <summary>The live key with this secret, or null for an unknown, malformed or revoked one.</summary>
    public async Task<ApiKeyRecord?> VerifyAsync(string secret, CancellationToken cancellationToken = default) =>
        ApiKeySecret.Hash(secret) is { } hash ? await store.FindKeyAsync(hash, cancellationToken) : null;

    /// <exception cref="CollectionNotFoundException">No such collection.</exception>
    public async Task SetVisibilityAsync(string collection, CollectionVisibility visibility, CancellationToken cancellationToken = default)
    {
        if (!await store.SetVisibilityAsync(collection, visibility, cancellationToken))
        {
            throw new CollectionNotFoundException(collection);
        }
    }
}
