using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Storage.Postgres;

/// <summary>WebP previews keyed by content hash, shared by all collections.</summary>
public sealed class PostgresThumbnailStore : IThumbnailStore
{
    private readonly PostgresConnections connections;

    internal PostgresThumbnailStore(PostgresConnections connections) => this.connections = connections;

    public Task PutThumbnailsAsync(IReadOnlyList<(byte[] ContentHash, byte[] Webp)> thumbnails, CancellationToken cancellationToken = default) =>
        thumbnails.Count == 0 ? Task.CompletedTask : connections.ExecuteAsync(StorageSql.PutThumbnails, new
        {
            hashes = thumbnails.Select(t => t.ContentHash).ToArray(),
            webps = thumbnails.Select(t => t.Webp).ToArray(),
        }, cancellationToken);

    public async Task<byte[]?> GetThumbnailAsync(byte[] contentHash, CancellationToken cancellationToken = default) =>
        (await connections.QueryAsync<byte[]>(StorageSql.GetThumbnail, new { contentHash }, cancellationToken)) is [var webp, ..] ? webp : null;
}
