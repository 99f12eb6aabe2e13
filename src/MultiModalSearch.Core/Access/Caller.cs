using MultiModalSearch.Abstractions.Access;

namespace MultiModalSearch.Core.Access;

/// <summary>Who makes a request: anonymous, or the holder of one verified API key.</summary>
public sealed record Caller(ApiKeyRecord? Key)
{
    public static Caller Anonymous { get; } = new((ApiKeyRecord?)null);

    public bool CanRead(int collectionId, CollectionVisibility visibility) =>
        visibility == CollectionVisibility.Public || Key?.CollectionId == collectionId;

    public bool CanWrite(int collectionId) => Key is { Access: ApiKeyAccess.Write } key && key.CollectionId == collectionId;
}
