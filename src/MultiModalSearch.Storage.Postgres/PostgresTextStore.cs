using MultiModalSearch.Abstractions.Assets;
using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Storage.Postgres;

/// <summary>Asset texts with a generated full-text vector ('simple' configuration: any language, no stemming).</summary>
public sealed class PostgresTextStore : ITextStore
{
    public const int MaxHits = 1000;

    private readonly PostgresConnections connections;

    internal PostgresTextStore(PostgresConnections connections) => this.connections = connections;

    public Task SetTextsAsync(IReadOnlyList<(long AssetId, TextItemKind Kind, string Text)> texts, CancellationToken cancellationToken = default) =>
        texts.Count == 0 ? Task.CompletedTask : connections.ExecuteAsync(StorageSql.UpsertTexts, new
        {
            assetIds = texts.Select(t => t.AssetId).ToArray(),
            kinds = texts.Select(t => t.Kind.ToString().ToLowerInvariant()).ToArray(),
            texts = texts.Select(t => PostgresConnections.StorableText(t.Text)).ToArray(),
        }, cancellationToken);

    public Task<IReadOnlyList<TextHit>> SearchTextAsync(Collection collection, string query, int limit = 20, CancellationToken cancellationToken = default) =>
        connections.QueryAsync<TextHit>(StorageSql.SearchText,
            new { collectionId = collection.Id, query, limit = Math.Clamp(limit, 1, MaxHits) }, cancellationToken);
}
