using System.Globalization;
using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Storage.Postgres;

/// <summary>
/// Every SQL statement of the PostgreSQL stores. Values always travel as parameters. The only text spliced
/// into SQL is what PostgreSQL cannot take as a parameter (a type modifier such as halfvec(512), an index name,
/// the collection id of a partial index predicate) and it is built from integers and fixed names only.
/// </summary>
internal static class StorageSql
{
    public const int HnswM = 16;
    public const int HnswEfConstruction = 64;

    public const string SelectCollection = """
        SELECT id AS Id, name AS Name, model_id AS ModelId, embedding_dim AS EmbeddingDim,
               vector_type AS VectorType, created_at AS CreatedAt, model_fingerprint AS ModelFingerprint
        FROM collections WHERE name = @name
        """;

    public const string InsertCollection = """
        INSERT INTO collections (name, model_id, embedding_dim, vector_type, model_fingerprint)
        VALUES (@name, @modelId, @dim, @vectorType, @modelFingerprint)
        ON CONFLICT (name) DO NOTHING
        RETURNING id
        """;

    public const string RecordFingerprint = "UPDATE collections SET model_fingerprint = @modelFingerprint WHERE id = @id AND model_fingerprint IS NULL";

    // The partial index goes with its collection; rows go by cascade (assets, their texts, embeddings).
    public const string DeleteCollection = "DELETE FROM collections WHERE id = @id";

    // Unchanged files are left alone (no dead tuples per crawl); changed or returning files start over.
    // (xmax = 0) is true for rows this statement inserted rather than updated.
    // A path is identified by its bytes (path_bytes); path is its readable form (see FileNames).
    public const string UpsertCrawl = """
        INSERT INTO assets AS a (collection_id, path_bytes, path, bytes, file_mtime)
        SELECT @collectionId, c.path_bytes, c.path, c.bytes, c.mtime
        FROM unnest(@pathBytes::bytea[], @paths::text[], @bytes::bigint[], @mtimes::timestamptz[]) AS c(path_bytes, path, bytes, mtime)
        ON CONFLICT (collection_id, path_bytes) DO UPDATE
        SET bytes = excluded.bytes, file_mtime = excluded.file_mtime, status = 'pending', content_hash = NULL,
            error = NULL, claimed_by = NULL, claimed_at = NULL, indexed_at = NULL, updated_at = now()
        WHERE a.bytes <> excluded.bytes OR a.file_mtime <> excluded.file_mtime OR a.status = 'removed'
        RETURNING (xmax = 0) AS inserted
        """;

    public const string PendingAmong = """
        SELECT id AS AssetId, path_bytes AS PathBytes, bytes AS Bytes FROM assets
        WHERE collection_id = @collectionId AND status = 'pending' AND path_bytes = ANY(@pathBytes)
        ORDER BY id
        """;

    // SKIP LOCKED: concurrent workers pass over rows another claim is updating instead of queueing behind it.
    // A claim older than the lease is considered abandoned (crashed worker) and is taken over.
    public const string Claim = """
        WITH picked AS (
            SELECT id FROM assets
            WHERE collection_id = @collectionId AND status = 'pending'
              AND (claimed_at IS NULL OR claimed_at < now() - @lease)
            ORDER BY id
            LIMIT @limit
            FOR UPDATE SKIP LOCKED
        )
        UPDATE assets a SET claimed_by = @worker, claimed_at = now(), updated_at = now()
        FROM picked WHERE a.id = picked.id
        RETURNING a.id AS AssetId, a.path_bytes AS PathBytes, a.bytes AS Bytes
        """;

    public const string MissingEmbeddings = """
        SELECT h FROM unnest(@hashes::bytea[]) AS h
        WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.collection_id = @collectionId AND e.content_hash = h)
        """;

    public const string EmbeddedAmong = """
        SELECT content_hash FROM embeddings WHERE collection_id = @collectionId AND content_hash = ANY(@hashes::bytea[])
        """;

    public const string CompleteAsset = """
        UPDATE assets SET content_hash = @ContentHash, media_type = @MediaType, width = @Width, height = @Height,
            exif_taken_at = @ExifTakenAt, camera_make = @CameraMake, camera_model = @CameraModel,
            gps_lat = @GpsLat, gps_lon = @GpsLon, orientation = @Orientation,
            status = 'indexed', error = NULL, claimed_by = NULL, claimed_at = NULL, indexed_at = now(), updated_at = now()
        WHERE id = @AssetId AND collection_id = @CollectionId AND status <> 'removed'
        """;

    public const string MarkFailed = """
        UPDATE assets a SET status = 'failed', error = f.error, claimed_by = NULL, claimed_at = NULL, updated_at = now()
        FROM unnest(@assetIds, @errors) AS f(id, error)
        WHERE a.id = f.id AND a.collection_id = @collectionId AND a.status <> 'removed'
        """;

    public const string MarkRemoved = """
        UPDATE assets SET status = 'removed', claimed_by = NULL, claimed_at = NULL, updated_at = now()
        WHERE collection_id = @collectionId AND status <> 'removed' AND path_bytes = ANY(@pathBytes)
        RETURNING content_hash
        """;

    // NOT EXISTS over unnest plans as a hashed anti-join: linear in the number of paths.
    public const string PruneUnseen = """
        UPDATE assets a SET status = 'removed', claimed_by = NULL, claimed_at = NULL, updated_at = now()
        WHERE a.collection_id = @collectionId AND a.status <> 'removed'
          AND NOT EXISTS (SELECT 1 FROM unnest(@pathBytes::bytea[]) AS s(path_bytes) WHERE s.path_bytes = a.path_bytes)
        RETURNING a.content_hash
        """;

    // Only paths under the crawled roots: a crawl of /photos/2024 says nothing about /photos/2023.
    public const string PruneUnseenUnder = """
        UPDATE assets a SET status = 'removed', claimed_by = NULL, claimed_at = NULL, updated_at = now()
        WHERE a.collection_id = @collectionId AND a.status <> 'removed'
          AND EXISTS (SELECT 1 FROM unnest(@prefixes::bytea[]) AS r(prefix) WHERE substring(a.path_bytes FROM 1 FOR length(r.prefix)) = r.prefix)
          AND NOT EXISTS (SELECT 1 FROM unnest(@pathBytes::bytea[]) AS s(path_bytes) WHERE s.path_bytes = a.path_bytes)
        RETURNING a.content_hash
        """;

    // The contents that the files of a crawl batch held before they changed: the upsert resets their hash.
    public const string ChangedContentAmong = """
        SELECT a.content_hash FROM assets a
        JOIN unnest(@pathBytes::bytea[], @bytes::bigint[], @mtimes::timestamptz[]) AS c(path_bytes, bytes, mtime) ON a.path_bytes = c.path_bytes
        WHERE a.collection_id = @collectionId AND a.content_hash IS NOT NULL
          AND (a.bytes <> c.bytes OR a.file_mtime <> c.mtime)
        """;

    // Embeddings among @hashes that no live path refers to any more. Run after the statement that dropped the
    // reference, in its transaction, under EmbeddingsExclusive.
    public const string DeleteOrphansAmong = """
        DELETE FROM embeddings e
        WHERE e.collection_id = @collectionId AND e.content_hash = ANY(@hashes::bytea[])
          AND NOT EXISTS (SELECT 1 FROM assets a
                          WHERE a.collection_id = e.collection_id AND a.content_hash = e.content_hash AND a.status <> 'removed')
        """;

    // Recording a result that relies on an embedding (shared) and deleting orphans (exclusive) exclude each other per
    // collection, taken first in their transactions: a flush that reuses a content can never commit against an embedding
    // that a concurrent prune has just found unreferenced, and a prune never deletes one a flush is about to use.
    public const string EmbeddingsShared = "SELECT pg_advisory_xact_lock_shared(1296913221, @collectionId)";

    public const string EmbeddingsExclusive = "SELECT pg_advisory_xact_lock(1296913221, @collectionId)";

    // Claimed assets whose content lost its embedding before they were recorded: back to the queue, to be embedded again.
    public const string Requeue = """
        UPDATE assets SET claimed_by = NULL, claimed_at = NULL, updated_at = now()
        WHERE collection_id = @collectionId AND status = 'pending' AND id = ANY(@assetIds)
        """;

    public const string ClaimHolders = """
        SELECT DISTINCT claimed_by FROM assets
        WHERE collection_id = @collectionId AND status = 'pending' AND claimed_by IS NOT NULL
        """;

    public const string ReleaseClaims = """
        UPDATE assets SET claimed_by = NULL, claimed_at = NULL
        WHERE collection_id = @collectionId AND status = 'pending' AND claimed_by = ANY(@workers)
        """;

    public const string Status = """
        SELECT count(*) FILTER (WHERE status = 'pending') AS Pending,
               count(*) FILTER (WHERE status = 'pending' AND claimed_at >= now() - @lease) AS InProgress,
               count(*) FILTER (WHERE status = 'indexed') AS Indexed,
               count(*) FILTER (WHERE status = 'failed') AS Failed,
               count(*) FILTER (WHERE status = 'removed') AS Removed,
               (SELECT count(*) FROM embeddings WHERE collection_id = @collectionId) AS Embeddings
        FROM assets WHERE collection_id = @collectionId
        """;

    public const string RecentFailures = """
        SELECT path AS Path, coalesce(error, '') AS Error, updated_at AS FailedAt FROM assets
        WHERE collection_id = @collectionId AND status = 'failed'
        ORDER BY updated_at DESC LIMIT @limit
        """;

    public const string GetThumbnail = "SELECT webp FROM thumbnails WHERE content_hash = @contentHash";

    // One statement per flush instead of one round trip per row; the last row wins for a repeated key, as it would row by row.
    public const string UpsertTexts = """
        INSERT INTO text_items (asset_id, kind, text)
        SELECT DISTINCT ON (t.asset_id, t.kind) t.asset_id, t.kind, t.text
        FROM unnest(@assetIds::bigint[], @kinds::text[], @texts::text[]) WITH ORDINALITY AS t(asset_id, kind, text, n)
        ORDER BY t.asset_id, t.kind, t.n DESC
        ON CONFLICT (asset_id, kind) DO UPDATE SET text = excluded.text
        """;

    public const string PutThumbnails = """
        INSERT INTO thumbnails (content_hash, webp)
        SELECT DISTINCT ON (t.content_hash) t.content_hash, t.webp FROM unnest(@hashes::bytea[], @webps::bytea[]) AS t(content_hash, webp)
        ON CONFLICT (content_hash) DO NOTHING
        """;

    // Two-key session advisory lock: the class key ('MMSI') keeps it apart from the migrations' lock.
    public const string TryLockCollectionIndex = "SELECT pg_try_advisory_lock(1296909129, @collectionId)";

    public const string UnlockCollectionIndex = "SELECT pg_advisory_unlock(1296909129, @collectionId)";

    // NULL when the index does not exist, false when a failed concurrent build left it invalid.
    public const string IndexValidity = """
        SELECT i.indisvalid FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid WHERE c.relname = @name
        """;

    public const string SearchText = """
        SELECT a.path AS Path, t.kind AS Kind, t.text AS Text, ts_rank(t.tsv, q) AS Rank
        FROM websearch_to_tsquery('simple', @query) AS q, text_items t
        JOIN assets a ON a.id = t.asset_id
        WHERE a.collection_id = @collectionId AND a.status = 'indexed' AND t.tsv @@ q
        ORDER BY Rank DESC LIMIT @limit
        """;

    public static string VectorType(EmbeddingPrecision precision) => precision == EmbeddingPrecision.Half ? "halfvec" : "vector";

    public static EmbeddingPrecision ParsePrecision(string vectorType) => vectorType switch
    {
        "halfvec" => EmbeddingPrecision.Half,
        "vector" => EmbeddingPrecision.Full,
        _ => throw new InvalidOperationException($"unknown vector_type '{vectorType}'"),
    };

    public static string Column(Collection c) => c.Precision == EmbeddingPrecision.Half ? "embedding_half" : "embedding";

    public static string IndexName(Collection c) => "embeddings_hnsw_" + Int(c.Id);

    /// <summary>The indexed expression; queries must spell it exactly like this for the planner to match the index.</summary>
    public static string IndexedExpression(Collection c) => $"({Column(c)}::{VectorType(c.Precision)}({Int(c.EmbeddingDim)}))";

    /// <summary>
    /// One partial HNSW index per collection over the shared table. The cast to the collection's dimension
    /// also rejects an embedding of the wrong size at insert time. CONCURRENTLY except inside a transaction (a new
    /// collection's index, empty, is built with the collection).
    /// </summary>
    public static string CreateIndex(Collection c, bool concurrently = true) =>
        $"CREATE INDEX {(concurrently ? "CONCURRENTLY " : "")}IF NOT EXISTS {IndexName(c)} ON embeddings USING hnsw ({IndexedExpression(c)} {VectorType(c.Precision)}_cosine_ops) " +
        $"WITH (m = {Int(HnswM)}, ef_construction = {Int(HnswEfConstruction)}) WHERE collection_id = {Int(c.Id)}";

    // reltuples is the planner's row estimate, kept by index builds, VACUUM and ANALYZE: -1 (or 0) before any of them.
    public const string IndexRowEstimate = "SELECT coalesce((SELECT reltuples::bigint FROM pg_class WHERE relname = @indexName AND relkind = 'i'), -1)";

    public static string DropIndex(Collection c) => $"DROP INDEX CONCURRENTLY IF EXISTS {IndexName(c)}";

    public static string DropIndexInTransaction(Collection c) => $"DROP INDEX IF EXISTS {IndexName(c)}";

    /// <summary>
    /// The k nearest contents. ORDER BY is the distance alone, exactly the indexed expression, and the
    /// collection id is a literal so the partial index predicate is provably implied even under a generic plan.
    /// </summary>
    public static string Nearest(Collection c) =>
        $"SELECT content_hash, {IndexedExpression(c)} <=> @query AS distance FROM embeddings " +
        $"WHERE collection_id = {Int(c.Id)} ORDER BY {IndexedExpression(c)} <=> @query LIMIT @k";

    // MATERIALIZED keeps the join to assets from being planned into the nearest-neighbour scan.
    public static string Search(Collection c) => $"""
        WITH nearest AS MATERIALIZED ({Nearest(c)})
        SELECT n.content_hash AS ContentHash, 1 - n.distance AS Score, array_agg(a.path ORDER BY a.path) AS Paths
        FROM nearest n
        JOIN assets a ON a.collection_id = {Int(c.Id)} AND a.content_hash = n.content_hash AND a.status = 'indexed'
        GROUP BY n.content_hash, n.distance
        ORDER BY n.distance
        """;

    public const string CountEmbeddings = "SELECT count(*) FROM embeddings WHERE collection_id = @collectionId";

    // pg_settings reports maintenance_work_mem in kB.
    public const string MaintenanceWorkMemBytes = "SELECT setting::bigint * 1024 FROM pg_settings WHERE name = 'maintenance_work_mem'";

    // Client sessions of other processes: ours are named by PostgresDatabase.ApplicationName (idle pooled ones included).
    public const string OtherClients = """
        SELECT count(*) FROM pg_stat_activity
        WHERE backend_type = 'client backend' AND datname = current_database() AND application_name IS DISTINCT FROM @ours
        """;

    public const string ResetMaintenanceWorkMem = "RESET maintenance_work_mem";

    public static string SetMaintenanceWorkMem(long kilobytes) => $"SET maintenance_work_mem = '{kilobytes.ToString(CultureInfo.InvariantCulture)}kB'";

    public static string SetEfSearch(int efSearch) => "SET LOCAL hnsw.ef_search = " + Int(efSearch);

    public const string CreateStage = """
        CREATE TEMP TABLE mms_embedding_stage (content_hash bytea NOT NULL, embedding vector, embedding_half halfvec) ON COMMIT DROP
        """;

    public static string CopyStage(Collection c) => $"COPY mms_embedding_stage (content_hash, {Column(c)}) FROM STDIN (FORMAT BINARY)";

    // Idempotent: contents embedded before (or twice in one batch) are skipped, never duplicated.
    public static string InsertFromStage(Collection c) =>
        $"INSERT INTO embeddings (collection_id, content_hash, {Column(c)}) " +
        $"SELECT {Int(c.Id)}, content_hash, {Column(c)} FROM mms_embedding_stage ON CONFLICT DO NOTHING";

    // ---- Query service: search stages, contents, access (PostgresRetrievalStore, PostgresAssetStore, PostgresAccessStore) ----

    /// <summary>What a result shows of a content: its indexed paths and recorded metadata, for the content in <paramref name="hash"/>.</summary>
    private static string SummaryOf(Collection c, string hash) => $"""
        SELECT array_agg(a.path ORDER BY a.path) AS paths, max(a.width) AS width, max(a.height) AS height,
               min(a.exif_taken_at) AS taken_at, min(a.media_type) AS media_type,
               min(a.camera_make) AS camera_make, min(a.camera_model) AS camera_model
        FROM assets a WHERE a.collection_id = {Int(c.Id)} AND a.content_hash = {hash} AND a.status = 'indexed'
        """;

    /// <summary>
    /// Stage one: the nearest contents with their summaries. The inner ORDER BY is the indexed distance expression
    /// alone, exactly as the index spells it (a tie-break such as ", content_hash" makes the planner sort the whole
    /// collection instead of walking the HNSW graph: Immich lost 1.3 s per query that way). With a filter, the rows
    /// the graph walk yields are checked against the paths (a semi-join), and pgvector's iterative scan keeps walking
    /// until LIMIT rows pass. <paramref name="exact"/> orders by an expression the index cannot produce, so the
    /// planner scans every matching row: for filters too selective for the graph walk to fill the limit. The outer
    /// ORDER BY restores the order that the relaxed iterative scan does not keep.
    /// </summary>
    public static string NearestCandidates(Collection c, string filterClause, bool withEmbeddings, bool exact)
    {
        var expression = IndexedExpression(c);
        var id = Int(c.Id);
        var matching = filterClause.Length == 0 ? "" :
            exact ? $" AND content_hash IN (SELECT f.content_hash FROM assets f WHERE f.collection_id = {id} AND f.status = 'indexed'{filterClause})"
                  : $" AND EXISTS (SELECT 1 FROM assets f WHERE f.collection_id = {id} AND f.content_hash = embeddings.content_hash AND f.status = 'indexed'{filterClause})";
        var order = exact ? $"({expression} <=> @query) + 0" : $"{expression} <=> @query";
        return $"""
            WITH nearest AS MATERIALIZED (
                SELECT content_hash, {expression} <=> @query AS distance{(withEmbeddings ? $", {expression} AS embedding" : "")}
                FROM embeddings WHERE collection_id = {id}{matching}
                ORDER BY {order} LIMIT @limit)
            SELECT n.content_hash, n.distance, {(withEmbeddings ? "n.embedding" : "NULL")}, s.paths, s.width, s.height, s.taken_at, s.media_type, s.camera_make, s.camera_model
            FROM nearest n CROSS JOIN LATERAL ({SummaryOf(c, "n.content_hash")}) s
            WHERE s.paths IS NOT NULL
            ORDER BY n.distance
            """;
    }

    /// <summary>Named contents with their distance to @query and their summaries (keyword hits that stage one did not find).</summary>
    public static string CandidatesAmong(Collection c, bool withEmbeddings) => $"""
        SELECT e.content_hash, {IndexedExpression(c)} <=> @query AS distance, {(withEmbeddings ? IndexedExpression(c) : "NULL")},
               s.paths, s.width, s.height, s.taken_at, s.media_type, s.camera_make, s.camera_model
        FROM embeddings e CROSS JOIN LATERAL ({SummaryOf(c, "e.content_hash")}) s
        WHERE e.collection_id = {Int(c.Id)} AND e.content_hash = ANY(@hashes) AND s.paths IS NOT NULL
        """;

    public static string EmbeddingsAmong(Collection c) =>
        $"SELECT content_hash, {IndexedExpression(c)} FROM embeddings WHERE collection_id = {Int(c.Id)} AND content_hash = ANY(@hashes)";

    /// <summary>
    /// The conditions of a <see cref="Abstractions.Retrieval.SearchFilter"/> on the assets row <c>f</c>, each a fixed
    /// fragment whose values are parameters (<see cref="PostgresRetrievalStore"/> binds the same names).
    /// </summary>
    public static string FilterClause(Abstractions.Retrieval.SearchFilter filter)
    {
        var clause = new System.Text.StringBuilder();
        if (filter.TakenAfter is not null) clause.Append(" AND f.exif_taken_at >= @takenAfter");
        if (filter.TakenBefore is not null) clause.Append(" AND f.exif_taken_at < @takenBefore");
        if (filter.PathPrefix is not null) clause.Append(" AND starts_with(f.path, @pathPrefix)");
        if (filter.Camera is not null) clause.Append(" AND @camera IN (lower(f.camera_make), lower(f.camera_model), lower(f.camera_make || ' ' || f.camera_model))");
        if (filter.MediaType is not null) clause.Append(filter.MediaType.Contains('/', StringComparison.Ordinal) ? " AND f.media_type = @mediaType" : " AND starts_with(f.media_type, @mediaType || '/')");
        if (filter.MinWidth is not null) clause.Append(" AND f.width >= @minWidth");
        if (filter.MinHeight is not null) clause.Append(" AND f.height >= @minHeight");
        return clause.ToString();
    }

    public const string PathWords = "to_tsvector('simple', translate(f.path, '/_-.', '    '))";

    public const string FileName = "lower(regexp_replace(f.path, '^.*/', ''))";

    /// <summary>
    /// Keyword hits: full-text matches in text items and in the words of paths, and exact file-name matches (the name
    /// with or without its extension). Each source is cut at @perSource matches before ranking, so a word that every
    /// path contains costs a bounded amount instead of ranking the whole collection.
    /// </summary>
    public static string KeywordHits(Collection c, string filterClause) => $"""
        WITH q AS (SELECT to_tsquery('simple', @words) AS q),
        hits AS (
            (SELECT f.content_hash, ts_rank(t.tsv, q.q) AS rank, false AS exact
             FROM q, text_items t JOIN assets f ON f.id = t.asset_id
             WHERE f.collection_id = {Int(c.Id)} AND f.status = 'indexed' AND t.tsv @@ q.q{filterClause} LIMIT @perSource)
            UNION ALL
            (SELECT f.content_hash, ts_rank({PathWords}, q.q), false
             FROM q, assets f
             WHERE f.collection_id = {Int(c.Id)} AND f.status = 'indexed' AND {PathWords} @@ q.q{filterClause} LIMIT @perSource)
            UNION ALL
            (SELECT f.content_hash, 0, true
             FROM assets f
             WHERE f.collection_id = {Int(c.Id)} AND f.status = 'indexed' AND ({FileName} = @fileName OR {FileName} LIKE @fileStem){filterClause} LIMIT @perSource))
        SELECT content_hash, sum(rank) AS rank, bool_or(exact) AS exact FROM hits
        WHERE content_hash IS NOT NULL
        GROUP BY content_hash ORDER BY bool_or(exact) DESC, sum(rank) DESC LIMIT @limit
        """;

    public const string TextsAmong = """
        SELECT f.content_hash, f.path, t.kind, t.text FROM text_items t JOIN assets f ON f.id = t.asset_id
        WHERE f.collection_id = @collectionId AND f.status = 'indexed' AND f.content_hash = ANY(@hashes)
        ORDER BY f.path, t.kind
        """;

    public static string SetIterativeScan(int maxTuples) =>
        "SET LOCAL hnsw.iterative_scan = relaxed_order; SET LOCAL hnsw.max_scan_tuples = " + Int(maxTuples);

    public const string PgvectorVersion = "SELECT extversion FROM pg_extension WHERE extname = 'vector'";

    public const string SelectCollectionWithVisibility = """
        SELECT id AS Id, name AS Name, model_id AS ModelId, embedding_dim AS EmbeddingDim,
               vector_type AS VectorType, created_at AS CreatedAt, visibility AS Visibility
        FROM collections WHERE name = @name
        """;

    // Counts per collection: an index-only scan of each collection's embeddings and indexed paths.
    public const string ListCollections = """
        SELECT c.id AS Id, c.name AS Name, c.model_id AS ModelId, c.embedding_dim AS EmbeddingDim,
               c.vector_type AS VectorType, c.created_at AS CreatedAt, c.visibility AS Visibility,
               (SELECT count(*) FROM embeddings e WHERE e.collection_id = c.id) AS Contents,
               (SELECT count(*) FROM assets a WHERE a.collection_id = c.id AND a.status = 'indexed') AS Paths
        FROM collections c ORDER BY c.name
        """;

    public const string SetVisibility = "UPDATE collections SET visibility = @visibility WHERE name = @name";

    public const string InsertApiKey = """
        INSERT INTO api_keys (collection_id, access, secret_sha256) VALUES (@collectionId, @access, @hash) RETURNING id
        """;

    public const string RevokeApiKey = "UPDATE api_keys SET revoked_at = now() WHERE id = @id AND revoked_at IS NULL";

    public const string FindApiKey = """
        SELECT k.id AS Id, k.collection_id AS CollectionId, c.name AS CollectionName, k.access AS Access,
               k.created_at AS CreatedAt, k.revoked_at AS RevokedAt
        FROM api_keys k JOIN collections c ON c.id = k.collection_id
        WHERE k.secret_sha256 = @hash AND k.revoked_at IS NULL
        """;

    public const string CollectionsHolding = """
        SELECT c.id AS Id, c.name AS Name, c.model_id AS ModelId, c.embedding_dim AS EmbeddingDim,
               c.vector_type AS VectorType, c.created_at AS CreatedAt, c.visibility AS Visibility
        FROM collections c
        WHERE EXISTS (SELECT 1 FROM assets a WHERE a.collection_id = c.id AND a.content_hash = @hash AND a.status = 'indexed')
        ORDER BY c.name
        """;

    public const string EnsureServiceSecret = """
        INSERT INTO service_secrets (name, secret) VALUES (@name, @secret) ON CONFLICT (name) DO NOTHING
        """;

    public const string ServiceSecret = "SELECT secret FROM service_secrets WHERE name = @name";

    public const string ContentLocations = """
        SELECT c.name AS Collection, a.id AS AssetId, a.path AS Path, a.bytes AS Bytes, a.file_mtime AS Modified,
               a.indexed_at AS IndexedAt, a.media_type AS MediaType, a.width AS Width, a.height AS Height,
               a.exif_taken_at AS TakenAt, a.camera_make AS CameraMake, a.camera_model AS CameraModel,
               a.gps_lat AS GpsLat, a.gps_lon AS GpsLon, a.path_bytes AS PathBytes
        FROM assets a JOIN collections c ON c.id = a.collection_id
        WHERE a.collection_id = ANY(@collectionIds) AND a.content_hash = @hash AND a.status = 'indexed'
        ORDER BY c.name, a.path
        """;

    public const string ContentTexts = """
        SELECT c.name AS Collection, a.path AS Path, t.kind AS Kind, t.text AS Text
        FROM text_items t JOIN assets a ON a.id = t.asset_id JOIN collections c ON c.id = a.collection_id
        WHERE a.collection_id = ANY(@collectionIds) AND a.content_hash = @hash AND a.status = 'indexed'
        ORDER BY c.name, a.path, t.kind
        """;

    public const string SetCaption = """
        INSERT INTO text_items (asset_id, kind, text)
        SELECT id, 'caption', @text FROM assets WHERE collection_id = @collectionId AND content_hash = @hash AND status = 'indexed'
        ON CONFLICT (asset_id, kind) DO UPDATE SET text = excluded.text
        """;

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
