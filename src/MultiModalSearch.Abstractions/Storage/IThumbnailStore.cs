namespace MultiModalSearch.Abstractions.Storage;

/// <summary>Small WebP previews, one per content, shared by every collection holding it.</summary>
public interface IThumbnailStore
{
    /// <summary>Stores previews; contents that already have one keep it.</summary>
    Task PutThumbnailsAsync(IReadOnlyList<(byte[] ContentHash, byte[] Webp)> thumbnails, CancellationToken cancellationToken = default);

    /// <summary>The preview of a content, or null.</summary>
    Task<byte[]?> GetThumbnailAsync(byte[] contentHash, CancellationToken cancellationToken = default);
}
