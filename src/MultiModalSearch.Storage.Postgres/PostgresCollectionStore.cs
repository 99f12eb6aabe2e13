using Dapper;
using MultiModalSearch.Abstractions.Storage;
using Npgsql;

namespace MultiModalSearch.Storage.Postgres;

/// <summary>Collections in PostgreSQL: one row each, created together with their partial HNSW index.</summary>
public sealed class PostgresCollectionStore : ICollectionStore
{
    public const int MaxFailuresListed = 1000;

    /// <summary>How long a claim stays valid before another worker may take the asset over.</summary>
    public static readonly TimeSpan DefaultLease = TimeSpan.FromMinutes(10);

    private readonly PostgresConnections connections;

    internal PostgresCollectionStore(PostgresConnections connections) => this.connections = connections;

    public async Task<Collection> OpenAsync(string name, string modelId, int embeddingDim, EmbeddingPrecision? precision = null, string? modelFingerprint = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        var vectorType = StorageSql.VectorType(precision ?? EmbeddingPrecision.Half);
        ArgumentOutOfRangeException.ThrowIfLessThan(embeddingDim, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(embeddingDim, vectorType == "vector" ? 2000 : 4000);

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // A concurrent creator blocks this insert on the unique name until it commits; then we read its row.
        var createdId = await connection.ExecuteScalarAsync<int?>(PostgresConnections.Command(StorageSql.InsertCollection,
            new { name, modelId, dim = embeddingDim, vectorType, modelFingerprint }, transaction, cancellationToken));
        var collection = await ReadAsync(connection, transaction, name, cancellationToken)
            ?? throw new InvalidOperationException($"collection '{name}' vanished while being opened");
        if (createdId is not null)
        {
            await connection.ExecuteAsync(PostgresConnections.Command(StorageSql.CreateIndex(collection, concurrently: false), null, transaction, cancellationToken));
        }

        EnsureMatches(collection, modelId, embeddingDim, precision, modelFingerprint);
        if (collection.ModelFingerprint is null && modelFingerprint is not null)
        {
            // Made before fingerprints were recorded, and just matched by its model id: from now on it is known by what it is.
            await connection.ExecuteAsync(PostgresConnections.Command(StorageSql.RecordFingerprint, new { id = collection.Id, modelFingerprint }, transaction, cancellationToken));
            collection = collection with { ModelFingerprint = modelFingerprint };
        }

        await transaction.CommitAsync(cancellationToken);
        return collection;
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var collection = await ReadAsync(connection, transaction, name, cancellationToken);
        if (collection is null)
        {
            return false;
        }

        await connection.ExecuteAsync(PostgresConnections.Command(StorageSql.DropIndexInTransaction(collection), null, transaction, cancellationToken));
        await connection.ExecuteAsync(PostgresConnections.Command(StorageSql.DeleteCollection, new { id = collection.Id }, transaction, cancellationToken, timeoutSeconds: 0));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<Collection?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await ReadAsync(connection, null, name, cancellationToken);
    }

    public async Task<CollectionStatus> GetStatusAsync(Collection collection, TimeSpan? lease = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<CollectionStatus>(PostgresConnections.Command(StorageSql.Status,
            new { collectionId = collection.Id, lease = lease ?? DefaultLease }, null, cancellationToken));
    }

    public Task<IReadOnlyList<AssetFailure>> GetRecentFailuresAsync(Collection collection, int limit = 20, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return connections.QueryAsync<AssetFailure>(StorageSql.RecentFailures,
            new { collectionId = collection.Id, limit = Math.Min(limit, MaxFailuresListed) }, cancellationToken);
    }

    private static void EnsureMatches(Collection existing, string modelId, int embeddingDim, EmbeddingPrecision? precision, string? fingerprint)
    {
        var bothKnown = existing.ModelFingerprint is not null && fingerprint is not null;
        if (bothKnown && existing.ModelFingerprint != fingerprint)
        {
            throw new CollectionMismatchException(
                $"collection '{existing.Name}' was indexed with model '{existing.ModelId}' (fingerprint {Short(existing.ModelFingerprint!)}), but model " +
                $"'{modelId}' has fingerprint {Short(fingerprint!)}: its weights or configuration differ, and embeddings of two models cannot be " +
                "searched together. Index into a new collection, or delete this one and index it again");
        }

        var sameModel = bothKnown || existing.ModelId == modelId;
        if (sameModel && existing.EmbeddingDim == embeddingDim && (precision is null || precision == existing.Precision))
        {
            return;
        }

        var requested = precision is null ? "" : $", {StorageSql.VectorType(precision.Value)}";
        throw new CollectionMismatchException(
            $"collection '{existing.Name}' was created for model '{existing.ModelId}' ({existing.EmbeddingDim}-d, {StorageSql.VectorType(existing.Precision)}) " +
            $"but was opened with model '{modelId}' ({embeddingDim}-d{requested}); use another collection name or the collection's model");
    }

    private static string Short(string fingerprint) => fingerprint.Length > 12 ? fingerprint[..12] : fingerprint;

    private static async Task<Collection?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string name, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<CollectionRow>(PostgresConnections.Command(StorageSql.SelectCollection, new { name }, transaction, cancellationToken));
        return row is null ? null : new Collection(row.Id, row.Name, row.ModelId, row.EmbeddingDim, StorageSql.ParsePrecision(row.VectorType), row.CreatedAt, row.ModelFingerprint);
    }

    private sealed record CollectionRow(int Id, string Name, string ModelId, int EmbeddingDim, string VectorType, DateTime CreatedAt, string? ModelFingerprint);
}
