using MultiModalSearch.Abstractions.Assets;

namespace MultiModalSearch.Storage.Postgres;

/// <summary>Contents as the service shows them. Reads on the read pool (like the search that found them), writes on the primary.</summary>
public sealed class PostgresAssetStore : IAssetStore
{
    private readonly PostgresConnections reads;
    private readonly PostgresConnections writes;

    internal PostgresAssetStore(PostgresConnections reads, PostgresConnections writes)
    {
        this.reads = reads;
        this.writes = writes;
    }

    public Task<IReadOnlyList<ContentLocation>> LocationsAsync(byte[] contentHash, IReadOnlyList<int> collectionIds, CancellationToken cancellationToken = default) =>
        reads.QueryAsync<ContentLocation>(StorageSql.ContentLocations, new { hash = contentHash, collectionIds = collectionIds.ToArray() }, cancellationToken);

    public async Task<IReadOnlyList<ContentText>> TextsAsync(byte[] contentHash, IReadOnlyList<int> collectionIds, CancellationToken cancellationToken = default) =>
        (await reads.QueryAsync<TextRow>(StorageSql.ContentTexts, new { hash = contentHash, collectionIds = collectionIds.ToArray() }, cancellationToken))
            .Select(r => new ContentText(r.Collection, r.Path, Enum.Parse<TextItemKind>(r.Kind, ignoreCase: true), r.Text)).ToList();

    public Task<int> SetCaptionAsync(int collectionId, byte[] contentHash, string caption, CancellationToken cancellationToken = default) =>
        writes.ExecuteAsync(StorageSql.SetCaption, new { collectionId, hash = contentHash, text = PostgresConnections.StorableText(caption) }, cancellationToken);

    private sealed record TextRow(string Collection, string Path, string Kind, string Text);
}
