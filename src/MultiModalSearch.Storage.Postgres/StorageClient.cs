using System.Data;
using System.Text;
using Dapper;
using MultiModalSearch.Abstractions.Assets;
using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace MultiModalSearch.Storage.Postgres;

/// <summary>
/// The application's access to PostgreSQL: collections, the crawl/claim/record work queue, embeddings and
/// search. SQL lives in <see cref="StorageSql"/>. Thread-safe: every call takes its own pooled connection.
/// </summary>
public sealed class StorageClient : IAsyncDisposable
{
    public const int MaxK = 1000;
    public const int DefaultEfSearch = 100;

    /// <summary>How long a claim stays valid before another worker may take the asset over.</summary>
    public static readonly TimeSpan DefaultLease = TimeSpan.FromMinutes(10);

    private const int MaxErrorLength = 4000;
    private static readonly TimeSpan IndexLockPollInterval = TimeSpan.FromMilliseconds(200);
    private readonly bool _ownsDataSource;

    static StorageClient()
    {
        PgvectorTypeHandler<Vector>.Register();
        PgvectorTypeHandler<HalfVector>.Register();
    }

    /// <summary>Uses a data source the caller built (it must have UseVector()) and keeps owning.</summary>
    public StorageClient(NpgsqlDataSource dataSource) : this(dataSource, ownsDataSource: false) { }

    private StorageClient(NpgsqlDataSource dataSource, bool ownsDataSource)
    {
        DataSource = dataSource;
        _ownsDataSource = ownsDataSource;
    }

    /// <summary>The underlying pool, for callers that need a plain connection (health checks, administration).</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Connects (keyword string or postgres:// URL) and, unless told not to, brings the schema up to date.</summary>
    public static async Task<StorageClient> OpenAsync(string connectionString, bool migrate = true, CancellationToken cancellationToken = default)
    {
        var dataSource = CreateDataSource(connectionString);
        try
        {
            if (migrate) await new DatabaseMigrator(dataSource).MigrateAsync(cancellationToken);
            return new StorageClient(dataSource, ownsDataSource: true);
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(PostgresConnectionString.Normalize(connectionString));
        builder.UseVector();
        return builder.Build();
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource) await DataSource.DisposeAsync();
    }

    // ---- collections ----

    /// <summary>
    /// Opens a collection, creating it (and its HNSW index) when missing. Opening it with another model or
    /// dimension, or with an explicit other precision, throws <see cref="CollectionMismatchException"/>.
    /// <paramref name="precision"/> only matters at creation (default halfvec).
    /// </summary>
    public async Task<Collection> OpenCollectionAsync(string name, string modelId, int embeddingDim, EmbeddingPrecision? precision = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        var vectorType = StorageSql.VectorType(precision ?? EmbeddingPrecision.Half);
        ArgumentOutOfRangeException.ThrowIfLessThan(embeddingDim, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(embeddingDim, vectorType == "vector" ? 2000 : 4000);

        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // A concurrent creator blocks this insert on the unique name until it commits; then we read its row.
        var createdId = await connection.ExecuteScalarAsync<int?>(Command(StorageSql.InsertCollection,
            new { name, modelId, dim = embeddingDim, vectorType }, transaction, cancellationToken));
        var collection = await ReadCollectionAsync(connection, transaction, name, cancellationToken)
            ?? throw new InvalidOperationException($"collection '{name}' vanished while being opened");
        if (createdId is not null)
            await connection.ExecuteAsync(Command(StorageSql.CreateIndex(collection, concurrently: false), null, transaction, cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        EnsureMatches(collection, modelId, embeddingDim, precision);
        return collection;
    }

    /// <summary>The collection with this name, or null.</summary>
    public async Task<Collection?> FindCollectionAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        return await ReadCollectionAsync(connection, null, name, cancellationToken);
    }

    /// <summary>Drops the collection's HNSW index, e.g. before a bulk load (building once is faster than inserting into the graph).</summary>
    public Task DropSearchIndexAsync(Collection collection, CancellationToken cancellationToken = default) =>
        WithIndexLockAsync(collection, connection =>
            connection.ExecuteAsync(Command(StorageSql.DropIndex(collection), null, null, cancellationToken, timeoutSeconds: 0)), cancellationToken);

    /// <summary>Creates the collection's HNSW index if it is missing or was left invalid by a failed build.</summary>
    public Task EnsureSearchIndexAsync(Collection collection, CancellationToken cancellationToken = default) =>
        WithIndexLockAsync(collection, async connection =>
        {
            var valid = await connection.ExecuteScalarAsync<bool?>(Command(StorageSql.IndexValidity, new { name = StorageSql.IndexName(collection) }, null, cancellationToken));
            if (valid == false)
            {
                // A CONCURRENTLY build that died leaves an INVALID index, which IF NOT EXISTS would keep for good.
                await connection.ExecuteAsync(Command(StorageSql.DropIndex(collection), null, null, cancellationToken, timeoutSeconds: 0));
            }

            await SizeBuildMemoryAsync(connection, collection, cancellationToken);
            await connection.ExecuteAsync(Command(StorageSql.CreateIndex(collection), null, null, cancellationToken, timeoutSeconds: 0));
            await connection.ExecuteAsync(Command("RESET maintenance_work_mem", null, null, cancellationToken));
        }, cancellationToken);

    /// <summary>The limit on <c>maintenance_work_mem</c> an index build may ask for (<see cref="HnswBuildMemory"/>).</summary>
    public HnswBuildMemory BuildMemory { get; set; } = HnswBuildMemory.ExternalDefault;

    /// <summary>The graph should fit in maintenance_work_mem (parallel build workers share it), else the build slows several-fold.</summary>
    private async Task SizeBuildMemoryAsync(NpgsqlConnection connection, Collection collection, CancellationToken cancellationToken)
    {
        var rows = await connection.ExecuteScalarAsync<long>(Command(StorageSql.CountEmbeddings, new { collectionId = collection.Id }, null, cancellationToken, timeoutSeconds: 0));
        var serverBytes = await connection.ExecuteScalarAsync<long>(Command(StorageSql.MaintenanceWorkMemBytes, null, null, cancellationToken));
        var kilobytes = BuildMemory.SettingKilobytes(rows, collection.EmbeddingDim, collection.Precision, serverBytes);
        if (kilobytes is { } kB)
            await connection.ExecuteAsync(Command(StorageSql.SetMaintenanceWorkMem(kB), null, null, cancellationToken));
    }

    /// <summary>
    /// Runs index DDL under a per-collection session advisory lock. The DDL is CONCURRENTLY (so other collections keep
    /// loading and searching the shared table meanwhile), which cannot run in a transaction, hence a session lock; it
    /// serialises two workers finishing together, which would otherwise race in CREATE INDEX IF NOT EXISTS.
    /// </summary>
    private async Task WithIndexLockAsync(Collection collection, Func<NpgsqlConnection, Task> ddl, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var key = new { collectionId = collection.Id };
        // Poll rather than block in pg_advisory_lock: a session waiting inside a statement holds a snapshot, and a
        // CONCURRENTLY build waits for every older snapshot, so a blocked second worker and the builder would deadlock.
        while (!await connection.ExecuteScalarAsync<bool>(Command(StorageSql.TryLockCollectionIndex, key, null, cancellationToken)))
        {
            await Task.Delay(IndexLockPollInterval, cancellationToken);
        }

        try
        {
            await ddl(connection);
        }
        finally
        {
            await connection.ExecuteAsync(Command(StorageSql.UnlockCollectionIndex, key, null, CancellationToken.None));
        }
    }

    // ---- crawl and work queue ----

    /// <summary>
    /// Records the files a crawl saw. New files, files whose size or mtime changed and files that came back
    /// after removal become pending; unchanged ones are not touched. Returns every file of the batch that is
    /// pending, including ones left pending by an earlier run.
    /// </summary>
    public async Task<CrawlResult> UpsertCrawlAsync(Collection collection, IEnumerable<CrawlEntry> entries, CancellationToken cancellationToken = default)
    {
        // A path twice in one statement would make ON CONFLICT DO UPDATE fail; the last sighting wins.
        var batch = entries.GroupBy(e => e.Path, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        var paths = batch.Select(e => e.Path).ToArray();
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var touched = (await connection.QueryAsync<bool>(Command(StorageSql.UpsertCrawl, new
        {
            collectionId = collection.Id,
            paths,
            bytes = batch.Select(e => e.Bytes).ToArray(),
            mtimes = batch.Select(e => e.Modified.UtcDateTime).ToArray(),
        }, transaction, cancellationToken))).ToList();
        var pending = (await connection.QueryAsync<WorkItem>(Command(StorageSql.PendingAmong,
            new { collectionId = collection.Id, paths }, transaction, cancellationToken))).ToList();
        await transaction.CommitAsync(cancellationToken);
        var added = touched.Count(inserted => inserted);
        return new CrawlResult(added, touched.Count - added, batch.Count - touched.Count, pending);
    }

    /// <summary>
    /// Leases up to <paramref name="limit"/> pending assets to <paramref name="workerId"/>. Workers never get the
    /// same asset while its claim is fresh; a claim older than <paramref name="lease"/> (default
    /// <see cref="DefaultLease"/>) is treated as abandoned and handed out again.
    /// </summary>
    public async Task<IReadOnlyList<WorkItem>> ClaimAsync(Collection collection, string workerId, int limit, TimeSpan? lease = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var claimed = await connection.QueryAsync<WorkItem>(Command(StorageSql.Claim,
            new { collectionId = collection.Id, worker = workerId, limit, lease = lease ?? DefaultLease }, null, cancellationToken));
        return claimed.OrderBy(w => w.AssetId).ToList();
    }

    /// <summary>Content hashes among <paramref name="contentHashes"/> that already have an embedding: no need to run the model on them.</summary>
    public async Task<IReadOnlyList<byte[]>> FindEmbeddedAsync(Collection collection, IEnumerable<byte[]> contentHashes, CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var found = await connection.QueryAsync<byte[]>(Command(StorageSql.EmbeddedAmong,
            new { collectionId = collection.Id, hashes = contentHashes.ToArray() }, null, cancellationToken));
        return found.ToList();
    }

    /// <summary>
    /// In one transaction: stores new embeddings (duplicates skipped) and marks the assets indexed with their
    /// metadata. Every result's content must have an embedding afterwards, otherwise nothing is written.
    /// </summary>
    public async Task RecordResultsAsync(Collection collection, IReadOnlyList<AssetResult> results, IReadOnlyList<EmbeddingRow> embeddings, CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (embeddings.Count > 0) await CopyEmbeddingsAsync(connection, transaction, collection, embeddings, cancellationToken);
        await EnsureAllEmbeddedAsync(connection, transaction, collection, results, cancellationToken);
        await connection.ExecuteAsync(Command(StorageSql.CompleteAsset,
            results.Select(r => AssetUpdate(collection, r)), transaction, cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Stores embeddings by binary COPY; contents already embedded are skipped. Returns how many rows were new.</summary>
    public async Task<int> CopyEmbeddingsAsync(Collection collection, IReadOnlyList<EmbeddingRow> embeddings, CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await CopyEmbeddingsAsync(connection, transaction, collection, embeddings, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    /// <summary>Marks an asset failed (it is not retried until the file changes); the error is kept for `status`.</summary>
    public Task MarkFailedAsync(Collection collection, long assetId, string error, CancellationToken cancellationToken = default) =>
        MarkFailedAsync(collection, [(assetId, error)], cancellationToken);

    /// <summary>Marks these assets failed, each with its own error, in one statement.</summary>
    public Task MarkFailedAsync(Collection collection, IReadOnlyList<(long AssetId, string Error)> failures, CancellationToken cancellationToken = default) =>
        failures.Count == 0 ? Task.CompletedTask : ExecuteAsync(StorageSql.MarkFailed, new
        {
            collectionId = collection.Id,
            assetIds = failures.Select(f => f.AssetId).ToArray(),
            errors = failures.Select(f => StorableText(f.Error.Length > MaxErrorLength ? f.Error[..MaxErrorLength] : f.Error)).ToArray(),
        }, cancellationToken);

    /// <summary>
    /// PostgreSQL text holds neither NUL nor a lone UTF-16 surrogate, and text that came out of files (error messages,
    /// captions) can carry both: bytes a hostile file put into a decoder's message, a cut in the middle of a pair.
    /// Either would fail the whole flush, so every such text is made storable here, at the boundary.
    /// </summary>
    internal static string StorableText(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') && !text.Contains('\0', StringComparison.Ordinal))
        {
            return text;
        }

        // The UTF-8 round trip turns unpaired surrogates into U+FFFD and keeps valid pairs.
        return Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)).Replace('\0', '\uFFFD');
    }

    /// <summary>Marks these paths removed (deleted files). Returns how many were not removed already.</summary>
    public Task<int> MarkRemovedAsync(Collection collection, IEnumerable<string> paths, CancellationToken cancellationToken = default) =>
        ExecuteAsync(StorageSql.MarkRemoved, new { collectionId = collection.Id, paths = paths.ToArray() }, cancellationToken);

    /// <summary>After a complete crawl: marks every path of the collection that the crawl did not see as removed.</summary>
    public Task<int> PruneAsync(Collection collection, IEnumerable<string> seenPaths, CancellationToken cancellationToken = default) =>
        ExecuteAsync(StorageSql.PruneUnseen, new { collectionId = collection.Id, paths = seenPaths.ToArray() }, cancellationToken);

    /// <summary>Like <see cref="PruneAsync"/>, restricted to paths that start with one of <paramref name="prefixes"/>.</summary>
    public Task<int> PruneUnderAsync(Collection collection, IReadOnlyList<string> prefixes, IEnumerable<string> seenPaths, CancellationToken cancellationToken = default) =>
        ExecuteAsync(StorageSql.PruneUnseenUnder, new { collectionId = collection.Id, prefixes = prefixes.ToArray(), paths = seenPaths.ToArray() }, cancellationToken);

    /// <summary>The workers holding claims on pending assets (to find those that died holding them).</summary>
    public async Task<IReadOnlyList<string>> GetClaimHoldersAsync(Collection collection, CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<string>(Command(StorageSql.ClaimHolders, new { collectionId = collection.Id }, null, cancellationToken))).ToList();
    }

    /// <summary>Returns the pending assets claimed by <paramref name="workers"/> to the queue at once, without waiting for their lease.</summary>
    public Task<int> ReleaseClaimsAsync(Collection collection, IReadOnlyList<string> workers, CancellationToken cancellationToken = default) =>
        ExecuteAsync(StorageSql.ReleaseClaims, new { collectionId = collection.Id, workers = workers.ToArray() }, cancellationToken);

    /// <summary>
    /// Deletes embeddings no live path refers to any more. Separate from pruning on purpose: a moved file
    /// is only re-hashed later, and keeping its embedding until then saves running the model again.
    /// </summary>
    public Task<int> DeleteOrphanEmbeddingsAsync(Collection collection, CancellationToken cancellationToken = default) =>
        ExecuteAsync(StorageSql.DeleteOrphanEmbeddings, new { collectionId = collection.Id }, cancellationToken);

    // ---- search ----

    /// <summary>
    /// The <paramref name="k"/> contents nearest to <paramref name="query"/> by cosine similarity, best first,
    /// each with its indexed paths. Approximate (HNSW): a larger <paramref name="efSearch"/> (at least k) trades
    /// speed for recall. Contents whose paths were all removed are left out, so fewer than k may come back.
    /// </summary>
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(Collection collection, float[] query, int k = 10, int? efSearch = null, CancellationToken cancellationToken = default)
    {
        EnsureDimension(collection, query);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, MaxK);
        var ef = Math.Clamp(Math.Max(efSearch ?? DefaultEfSearch, k), 1, MaxK);
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // SET LOCAL: the setting ends with the transaction and cannot leak into the next user of this pooled connection.
        await connection.ExecuteAsync(Command(StorageSql.SetEfSearch(ef), null, transaction, cancellationToken));
        var rows = await connection.QueryAsync<SearchRow>(Command(StorageSql.Search(collection),
            new { query = ToParameter(collection, query), k }, transaction, cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return rows.Select(r => new SearchHit(r.ContentHash, r.Score, r.Paths)).ToList();
    }

    /// <summary>Keyword search over captions, descriptions and file names (PostgreSQL full text, web-search syntax).</summary>
    public async Task<IReadOnlyList<TextHit>> SearchTextAsync(Collection collection, string query, int limit = 20, CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var hits = await connection.QueryAsync<TextHit>(Command(StorageSql.SearchText,
            new { collectionId = collection.Id, query, limit = Math.Clamp(limit, 1, MaxK) }, null, cancellationToken));
        return hits.ToList();
    }

    public Task SetTextAsync(long assetId, TextItemKind kind, string text, CancellationToken cancellationToken = default) =>
        SetTextsAsync([(assetId, kind, text)], cancellationToken);

    public Task PutThumbnailAsync(byte[] contentHash, byte[] webp, CancellationToken cancellationToken = default) =>
        PutThumbnailsAsync([(contentHash, webp)], cancellationToken);

    /// <summary>Upserts many texts in one statement (the indexer's flushes).</summary>
    public Task SetTextsAsync(IReadOnlyList<(long AssetId, TextItemKind Kind, string Text)> texts, CancellationToken cancellationToken = default) =>
        texts.Count == 0 ? Task.CompletedTask : ExecuteAsync(StorageSql.UpsertTexts, new
        {
            assetIds = texts.Select(t => t.AssetId).ToArray(),
            kinds = texts.Select(t => t.Kind.ToString().ToLowerInvariant()).ToArray(),
            texts = texts.Select(t => StorableText(t.Text)).ToArray(),
        }, cancellationToken);

    /// <summary>Stores many thumbnails in one statement; contents that already have one keep it.</summary>
    public Task PutThumbnailsAsync(IReadOnlyList<(byte[] ContentHash, byte[] Webp)> thumbnails, CancellationToken cancellationToken = default) =>
        thumbnails.Count == 0 ? Task.CompletedTask : ExecuteAsync(StorageSql.PutThumbnails, new
        {
            hashes = thumbnails.Select(t => t.ContentHash).ToArray(),
            webps = thumbnails.Select(t => t.Webp).ToArray(),
        }, cancellationToken);

    /// <summary>Whether the collection's HNSW index exists and is valid (it is dropped during bulk loads and built once at the end).</summary>
    public async Task<bool> HasSearchIndexAsync(Collection collection, CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool?>(Command(StorageSql.IndexValidity, new { name = StorageSql.IndexName(collection) }, null, cancellationToken)) == true;
    }

    public async Task<byte[]?> GetThumbnailAsync(byte[] contentHash, CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<byte[]?>(Command(StorageSql.GetThumbnail, new { contentHash }, null, cancellationToken));
    }

    // ---- status ----

    public async Task<StorageStatus> GetStatusAsync(Collection collection, TimeSpan? lease = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<StorageStatus>(Command(StorageSql.Status,
            new { collectionId = collection.Id, lease = lease ?? DefaultLease }, null, cancellationToken));
    }

    public async Task<IReadOnlyList<AssetFailure>> GetRecentFailuresAsync(Collection collection, int limit = 20, CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var failures = await connection.QueryAsync<AssetFailure>(Command(StorageSql.RecentFailures,
            new { collectionId = collection.Id, limit = Math.Clamp(limit, 1, MaxK) }, null, cancellationToken));
        return failures.ToList();
    }

    // ---- helpers ----

    private static async Task<int> CopyEmbeddingsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Collection collection, IReadOnlyList<EmbeddingRow> embeddings, CancellationToken cancellationToken)
    {
        foreach (var row in embeddings)
        {
            EnsureDimension(collection, row.Embedding);
            if (row.ContentHash.Length != 32) throw new ArgumentException("content hashes are SHA-256 (32 bytes)", nameof(embeddings));
        }
        // COPY cannot skip conflicting rows, so it fills a transaction-local stage that an INSERT ... ON CONFLICT drains.
        await connection.ExecuteAsync(Command(StorageSql.CreateStage, null, transaction, cancellationToken));
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
        return await connection.ExecuteAsync(Command(StorageSql.InsertFromStage(collection), null, transaction, cancellationToken, timeoutSeconds: 0));
    }

    private static Task WriteVectorAsync(NpgsqlBinaryImporter writer, Collection collection, float[] embedding, CancellationToken cancellationToken) =>
        collection.Precision == EmbeddingPrecision.Half
            ? writer.WriteAsync(ToHalf(embedding), "halfvec", cancellationToken)
            : writer.WriteAsync(new Vector(embedding), "vector", cancellationToken);

    private static async Task EnsureAllEmbeddedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Collection collection, IReadOnlyList<AssetResult> results, CancellationToken cancellationToken)
    {
        var missing = await connection.QueryAsync<byte[]>(Command(StorageSql.MissingEmbeddings,
            new { collectionId = collection.Id, hashes = results.Select(r => r.ContentHash).ToArray() }, transaction, cancellationToken));
        var first = missing.FirstOrDefault();
        if (first is not null)
            throw new InvalidOperationException($"no embedding stored for content {Convert.ToHexStringLower(first)}; pass it in the same call");
    }

    private static object AssetUpdate(Collection collection, AssetResult r) => new
    {
        CollectionId = collection.Id,
        r.AssetId,
        r.ContentHash,
        r.MediaType,
        r.Width,
        r.Height,
        // timestamp without time zone: Npgsql only writes DateTime of an unspecified (or local) kind there.
        ExifTakenAt = r.ExifTakenAt is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Unspecified) : (DateTime?)null,
        r.CameraMake,
        r.CameraModel,
        r.GpsLat,
        r.GpsLon,
        r.Orientation,
    };

    private static object ToParameter(Collection collection, float[] query) =>
        collection.Precision == EmbeddingPrecision.Half ? ToHalf(query) : new Vector(query);

    private static HalfVector ToHalf(float[] values)
    {
        var halves = new Half[values.Length];
        for (var i = 0; i < values.Length; i++) halves[i] = (Half)values[i];
        return new HalfVector(halves);
    }

    private static void EnsureDimension(Collection collection, float[] vector)
    {
        if (vector.Length != collection.EmbeddingDim)
            throw new ArgumentException($"collection '{collection.Name}' holds {collection.EmbeddingDim}-d embeddings ({collection.ModelId}); got {vector.Length}-d");
    }

    private static void EnsureMatches(Collection existing, string modelId, int embeddingDim, EmbeddingPrecision? precision)
    {
        if (existing.ModelId == modelId && existing.EmbeddingDim == embeddingDim && (precision is null || precision == existing.Precision)) return;
        var requested = precision is null ? "" : $", {StorageSql.VectorType(precision.Value)}";
        throw new CollectionMismatchException(
            $"collection '{existing.Name}' was created for model '{existing.ModelId}' ({existing.EmbeddingDim}-d, {StorageSql.VectorType(existing.Precision)}) " +
            $"but was opened with model '{modelId}' ({embeddingDim}-d{requested}); use another collection name or the collection's model");
    }

    private static async Task<Collection?> ReadCollectionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string name, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<CollectionRow>(Command(StorageSql.SelectCollection, new { name }, transaction, cancellationToken));
        return row is null ? null : new Collection(row.Id, row.Name, row.ModelId, row.EmbeddingDim, StorageSql.ParsePrecision(row.VectorType), row.CreatedAt);
    }

    private async Task<int> ExecuteAsync(string sql, object? args, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(Command(sql, args, null, cancellationToken));
    }

    private static CommandDefinition Command(string sql, object? args, IDbTransaction? transaction, CancellationToken cancellationToken, int? timeoutSeconds = null) =>
        new(sql, args, transaction, timeoutSeconds, cancellationToken: cancellationToken);

    // Npgsql reports text[] columns as System.Array, which Dapper cannot match to a constructor; properties work.
    private sealed class SearchRow
    {
        public byte[] ContentHash { get; set; } = [];
        public double Score { get; set; }
        public string[] Paths { get; set; } = [];
    }

    private sealed record CollectionRow(int Id, string Name, string ModelId, int EmbeddingDim, string VectorType, DateTime CreatedAt);
}
