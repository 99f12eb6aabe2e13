using System.Security.Cryptography;
using Dapper;
using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Storage.Postgres;

/// <summary>Visibility, API keys and the service's shared secret, always on the primary.</summary>
public sealed class PostgresAccessStore : IAccessStore
{
    private const string UrlSigningSecret = "url-signing";

    private readonly PostgresConnections connections;

    internal PostgresAccessStore(PostgresConnections connections) => this.connections = connections;

    public async Task<(Collection Collection, CollectionVisibility Visibility)?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        var row = FirstOrNull(await connections.QueryAsync<CollectionRow>(StorageSql.SelectCollectionWithVisibility, new { name = PostgresConnections.StorableText(name) }, cancellationToken));
        return row is null ? null : (row.ToCollection(), ParseVisibility(row.Visibility));
    }

    public async Task<IReadOnlyList<CollectionEntry>> ListAsync(CancellationToken cancellationToken = default) =>
        (await connections.QueryAsync<CollectionRow>(StorageSql.ListCollections, null, cancellationToken))
            .Select(r => new CollectionEntry(r.ToCollection(), ParseVisibility(r.Visibility), r.Contents, r.Paths)).ToList();

    public async Task<bool> SetVisibilityAsync(string name, CollectionVisibility visibility, CancellationToken cancellationToken = default) =>
        await connections.ExecuteAsync(StorageSql.SetVisibility, new { name, visibility = visibility.ToString().ToLowerInvariant() }, cancellationToken) > 0;

    public async Task<long> CreateKeyAsync(Collection collection, ApiKeyAccess access, byte[] secretHash, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(PostgresConnections.Command(StorageSql.InsertApiKey,
            new { collectionId = collection.Id, access = access.ToString().ToLowerInvariant(), hash = secretHash }, null, cancellationToken));
    }

    public async Task<bool> RevokeKeyAsync(long id, CancellationToken cancellationToken = default) =>
        await connections.ExecuteAsync(StorageSql.RevokeApiKey, new { id }, cancellationToken) > 0;

    public async Task<ApiKeyRecord?> FindKeyAsync(byte[] secretHash, CancellationToken cancellationToken = default)
    {
        var row = FirstOrNull(await connections.QueryAsync<KeyRow>(StorageSql.FindApiKey, new { hash = secretHash }, cancellationToken));
        return row is null ? null : new ApiKeyRecord(row.Id, row.CollectionId, row.CollectionName,
            row.Access == "write" ? ApiKeyAccess.Write : ApiKeyAccess.Read, row.CreatedAt, row.RevokedAt);
    }

    public async Task<IReadOnlyList<(Collection Collection, CollectionVisibility Visibility)>> CollectionsHoldingAsync(byte[] contentHash, CancellationToken cancellationToken = default) =>
        (await connections.QueryAsync<CollectionRow>(StorageSql.CollectionsHolding, new { hash = contentHash }, cancellationToken))
            .Select(r => (r.ToCollection(), ParseVisibility(r.Visibility))).ToList();

    public async Task<byte[]> ServiceSecretAsync(CancellationToken cancellationToken = default)
    {
        // Whoever inserts first wins; everyone then reads the same row.
        await connections.ExecuteAsync(StorageSql.EnsureServiceSecret, new { name = UrlSigningSecret, secret = RandomNumberGenerator.GetBytes(32) }, cancellationToken);
        return (await connections.QueryAsync<byte[]>(StorageSql.ServiceSecret, new { name = UrlSigningSecret }, cancellationToken)).Single();
    }

    private static CollectionVisibility ParseVisibility(string value) => value == "private" ? CollectionVisibility.Private : CollectionVisibility.Public;

    // Settable properties: Dapper maps the extra count columns of the listing without a constructor per query shape.
    private sealed class CollectionRow
    {
        public int Id { get; set; }

        public string Name { get; set; } = "";

        public string ModelId { get; set; } = "";

        public int EmbeddingDim { get; set; }

        public string VectorType { get; set; } = "";

        public DateTime CreatedAt { get; set; }

        public string Visibility { get; set; } = "public";

        public long Contents { get; set; }

        public long Paths { get; set; }

        public Collection ToCollection() => new(Id, Name, ModelId, EmbeddingDim, StorageSql.ParsePrecision(VectorType), CreatedAt);
    }

    private sealed record KeyRow(long Id, int CollectionId, string CollectionName, string Access, DateTime CreatedAt, DateTime? RevokedAt);

    private static T? FirstOrNull<T>(IReadOnlyList<T> rows)
        where T : class => rows.Count > 0 ? rows[0] : null;
}
