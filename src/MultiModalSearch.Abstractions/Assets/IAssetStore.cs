namespace MultiModalSearch.Abstractions.Assets;

/// <summary>Contents as the service shows them: where they are indexed, what was recorded, their texts.</summary>
public interface IAssetStore
{
    /// <summary>The indexed paths of a content in these collections (by id), sorted by collection and path.</summary>
    Task<IReadOnlyList<ContentLocation>> LocationsAsync(byte[] contentHash, IReadOnlyList<int> collectionIds, CancellationToken cancellationToken = default);

    /// <summary>The text items of a content's indexed paths in these collections.</summary>
    Task<IReadOnlyList<ContentText>> TextsAsync(byte[] contentHash, IReadOnlyList<int> collectionIds, CancellationToken cancellationToken = default);

    /// <summary>Sets (or replaces) the caption of every indexed path of a content in one collection; returns how many paths.</summary>
    Task<int> SetCaptionAsync(int collectionId, byte[] contentHash, string caption, CancellationToken cancellationToken = default);
}
