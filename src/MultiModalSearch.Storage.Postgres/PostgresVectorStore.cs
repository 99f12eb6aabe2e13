using Dapper;
using MultiModalSearch.Abstractions.Storage;
using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace MultiModalSearch.Storage.Postgres;

/// <summary>
/// Embeddings in one shared table, one partial HNSW index per collection. Search runs in its own transaction so the
/// index's <c>ef_search</c> can be set locally; index DDL runs CONCURRENTLY under a per-collection lock.
/// </summary>
public sealed class PostgresVectorStore : IVectorStore
{
    public const int MaxK = 1000;
    public const int DefaultEfSearch = 100;

    private static readonly TimeSpan IndexLockPollInterval = TimeSpan.FromMilliseconds(200);
    private readonly PostgresConnections connections;
    private readonly HnswBuildMemory buildMemory;

    internal PostgresVectorStore(PostgresConnections connections, HnswBuildMemory buildMemory)
    {
        this.connections = connections;
        this.buildMemory = buildMemory;
    }

    public Task<IReadOnlyList<byte[]>> FindEmbeddedAsync(Collection collection, IEnumerable<byte[]> contentHashes, CancellationToken cancellationToken = default) =>
        connections.QueryAsync<byte[]>(StorageSql.EmbeddedAmong, new { collectionId = collection.Id, hashes = contentHashes.ToArray() }, cancellationToken);

    public async Task<int> CopyEmbeddingsAsync(Collection collection, IReadOnlyList<EmbeddingRow> embeddings, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await CopyAsync(connection, transaction, collection, embeddings, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(Collection collection, float[] query, int k = 10, int? efSearch = null, CancellationToken cancellationToken = default)
    {
        EnsureDimension(collection, query);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, MaxK);
        var ef = Math.Clamp(Math.Max(efSearch ?? DefaultEfSearch, k), 1, MaxK);
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // SET LOCAL: the setting ends with the transaction and cannot leak into the next user of this pooled connection.
        await connection.ExecuteAsync(PostgresConnections.Command(StorageSql.SetEfSearch(ef), null, transaction, cancellationToken));
        var rows = await connection.QueryAsync<SearchRow>(PostgresConnections.Command(StorageSql.Search(collection),
            new { query = ToParameter(collection, query), k }, transaction, cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return rows.Select(r => new SearchHit(r.ContentHash, r.Score, r.Paths)).ToList();
    }

    public async Task<bool> HasSearchIndexAsync(Collection collection, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool?>(PostgresConnections.Command(StorageSql.IndexValidity, new { name = StorageSql.IndexName(collection) }, null, cancellationToken)) == true;
    }

    public Task DropSearchIndexAsync(Collection collection, CancellationToken cancellationToken = default) =>
        WithIndexLockAsync(collection, connection =>
            connection.ExecuteAsync(PostgresConnections.Command(StorageSql.DropIndex(collection), null, null, cancellationToken, timeoutSeconds: 0)), cancellationToken);

    public Task EnsureSearchIndexAsync(Collection collection, CancellationToken cancellationToken = default) =>
        WithIndexLockAsync(collection, async connection =>
        {
            var valid = await connection.ExecuteScalarAsync<bool?>(PostgresConnections.Command(StorageSql.IndexValidity, new { name = StorageSql.IndexName(collection) }, null, cancellationToken));
            if (valid == false)
            {
                // A CONCURRENTLY build that died leaves an INVALID index, which IF NOT EXISTS would keep for good.
                await connection.ExecuteAsync(PostgresConnections.Command(StorageSql.DropIndex(collection), null, null, cancellationToken, timeoutSeconds: 0));
            }

            await SizeBuildMemoryAsync(connection, collection, cancellationToken);
            await connection.ExecuteAsync(PostgresConnections.Command(StorageSql.CreateIndex(collection), null, null, cancellationToken, timeoutSeconds: 0));
            await connection.ExecuteAsync(PostgresConnections.Command(StorageSql.ResetMaintenanceWorkMem, null, null, cancellationToken));
        }, cancellationToken);

    /// <summary>Stores embeddings by binary COPY inside the caller's transaction; contents already embedded are skipped.</summary>
    internal static async Task<int> CopyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Collection collection, IReadOnlyList<EmbeddingRow> embeddings, CancellationToken cancellationToken)
    {
        foreach (var row in embeddings)
        {
            EnsureDimension(collection, row.Embedding);
            if (row.ContentHash.Length != 32)
            {
                throw new ArgumentException("content hashes are SHA-256 (32 bytes)", nameof(embeddings));
            }
        }

        // COPY cannot skip conflicting rows, so it fills a transaction-local stage that an INSERT ... ON CONFLICT drains.
        await connection.ExecuteAsync(PostgresConnections.Command(StorageSql.CreateStage, null, transaction, cancellationToken));
        await using (var writer = await connection.BeginBinaryImportAsync(StorageSql.CopyStage(collection), cancellationToken))
        {
            foreach (var row in embeddings)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(row.ContentHash, NpgsqlDbType.Bytea, cancellationToken);
                await WriteVectorAsync(writer, collection, row.Embedding, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        return await connection.ExecuteAsync(PostgresConnections.Command(StorageSql.InsertFromStage(collection), null, transaction, cancellationToken, timeoutSeconds: 0));
    }

    /// <summary>The graph should fit in maintenance_work_mem (parallel build workers share it), else the build slows several-fold.</summary>
    private async Task SizeBuildMemoryAsync(NpgsqlConnection connection, Collection collection, CancellationToken cancellationToken)
    {
        var rows = await connection.ExecuteScalarAsync<long>(PostgresConnections.Command(StorageSql.CountEmbeddings, new { collectionId = collection.Id }, null, cancellationToken, timeoutSeconds: 0));
        var serverBytes = await connection.ExecuteScalarAsync<long>(PostgresConnections.Command(StorageSql.MaintenanceWorkMemBytes, null, null, cancellationToken));
        var kilobytes = buildMemory.SettingKilobytes(rows, collection.EmbeddingDim, collection.Precision, serverBytes);
        if (kilobytes is { } kB)
        {
            await connection.ExecuteAsync(PostgresConnections.Command(StorageSql.SetMaintenanceWorkMem(kB), null, null, cancellationToken));
        }
    }

    /// <summary>
    /// Runs index DDL under a per-collection session advisory lock. The DDL is CONCURRENTLY (so other collections keep
    /// loading and searching the shared table meanwhile), which cannot run in a transaction, hence a session lock; it
    /// serialises two workers finishing together, which would otherwise race in CREATE INDEX IF NOT EXISTS.
    /// </summary>
    private async Task WithIndexLockAsync(Collection collection, Func<NpgsqlConnection, Task> ddl, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var key = new { collectionId = collection.Id };
        // Poll rather than block in pg_advisory_lock: a session waiting inside a statement holds a snapshot, and a
        // CONCURRENTLY build waits for every older snapshot, so a blocked second worker and the builder would deadlock.
        while (!await connection.ExecuteScalarAsync<bool>(PostgresConnections.Command(StorageSql.TryLockCollectionIndex, key, null, cancellationToken)))
        {
            await Task.Delay(IndexLockPollInterval, cancellationToken);
        }

        try
        {
            await ddl(connection);
        }
        finally
        {
            await connection.ExecuteAsync(PostgresConnections.Command(StorageSql.UnlockCollectionIndex, key, null, CancellationToken.None));
        }
    }

    private static Task WriteVectorAsync(NpgsqlBinaryImporter writer, Collection collection, float[] embedding, CancellationToken cancellationToken) =>
        collection.Precision == EmbeddingPrecision.Half
            ? writer.WriteAsync(ToHalf(embedding), "halfvec", cancellationToken)
            : writer.WriteAsync(new Vector(embedding), "vector", cancellationToken);

    private static object ToParameter(Collection collection, float[] query) =>
        collection.Precision == EmbeddingPrecision.Half ? ToHalf(query) : new Vector(query);

    private static HalfVector ToHalf(float[] values)
    {
        var halves = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            halves[i] = (Half)values[i];
        }

        return new HalfVector(halves);
    }

    private static void EnsureDimension(Collection collection, float[] vector)
    {
        if (vector.Length != collection.EmbeddingDim)
        {
            throw new ArgumentException($"collection '{collection.Name}' holds {collection.EmbeddingDim}-d embeddings ({collection.ModelId}); got {vector.Length}-d");
        }
    }

    // Npgsql reports text[] columns as System.Array, which Dapper cannot match to a constructor; properties work.
    private sealed class SearchRow
    {
        public byte[] ContentHash { get; set; } = [];

        public double Score { get; set; }

        public string[] Paths { get; set; } = [];
    }
}
