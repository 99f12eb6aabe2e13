using System.Text.RegularExpressions;
using MultiModalSearch.Abstractions.Retrieval;
using MultiModalSearch.Abstractions.Storage;
using Npgsql;
using Pgvector;

namespace MultiModalSearch.Storage.Postgres;

/// <summary>
/// The reads of a search, on the read pool (a streaming replica when one is configured, else the primary). Plain
/// Npgsql readers rather than Dapper: these run on every query, and the settings and the statement travel in one
/// round trip (a batch inside the transaction whose SET LOCALs they need).
/// </summary>
public sealed partial class PostgresRetrievalStore : IRetrievalStore
{
    public const int MaxEfSearch = 1000;

    /// <summary>pgvector's own default; raised for large limits so the walk can pass filtered-out rows.</summary>
    private const int MinScanTuples = 20000;

    private const int KeywordHitsPerSource = 2000;
    private const int MaxKeywordWords = 32;

    private readonly PostgresConnections connections;
    private bool? iterativeScans;

    internal PostgresRetrievalStore(PostgresConnections connections) => this.connections = connections;

    public async Task<long> ApproximateSizeAsync(Collection collection, CancellationToken cancellationToken = default)
    {
        var estimate = (await connections.QueryAsync<long>(StorageSql.IndexRowEstimate, new { indexName = StorageSql.IndexName(collection) }, cancellationToken))[0];
        return estimate > 0
            ? estimate
            : (await connections.QueryAsync<long>(StorageSql.CountEmbeddings, new { collectionId = collection.Id }, cancellationToken))[0];
    }

    public async Task<CandidateSet> NearestAsync(Collection collection, CandidateQuery query, CancellationToken cancellationToken = default)
    {
        EnsureDimension(collection, query.Vector);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        var ef = Math.Clamp(query.EfSearch, 1, MaxEfSearch);
        var filterClause = StorageSql.FilterClause(query.Filter);
        // The graph walk alone yields at most ef_search rows, and with a filter fewer pass; iterative scans walk on.
        var iterative = (filterClause.Length > 0 || query.Limit > ef) && await SupportsIterativeScansAsync(cancellationToken);
        var found = await QueryCandidatesAsync(collection, query, StorageSql.NearestCandidates(collection, filterClause, query.WithEmbeddings, exact: false),
            ef, iterative, cancellationToken);
        if (found.Count >= query.Limit || filterClause.Length == 0)
        {
            return new CandidateSet(found, iterative ? "hnsw-iterative" : "hnsw");
        }

        // Too few passed the filter within the walk's budget: the filter is selective, so scanning what matches is cheap.
        var exact = await QueryCandidatesAsync(collection, query, StorageSql.NearestCandidates(collection, filterClause, query.WithEmbeddings, exact: true),
            ef, iterative: false, cancellationToken);
        return new CandidateSet(exact, "exact");
    }

    public async Task<IReadOnlyList<KeywordHit>> KeywordAsync(Collection collection, string text, SearchFilter filter, int limit, CancellationToken cancellationToken = default)
    {
        var words = Words(text);
        var name = PostgresConnections.StorableText(text.Trim()).ToLowerInvariant();
        if (words.Count == 0 && name.Length == 0)
        {
            return [];
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(StorageSql.KeywordHits(collection, StorageSql.FilterClause(filter)), connection);
        // No word: a query that matches nothing ('' is an empty tsquery, which matches no document).
        command.Parameters.AddWithValue("words", words.Count == 0 ? "" : string.Join(" | ", words));
        command.Parameters.AddWithValue("fileName", name);
        command.Parameters.AddWithValue("fileStem", EscapeLike(name) + ".%");
        command.Parameters.AddWithValue("perSource", KeywordHitsPerSource);
        command.Parameters.AddWithValue("limit", limit);
        AddFilterParameters(command, filter);
        var hits = new List<KeywordHit>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hits.Add(new KeywordHit(reader.GetFieldValue<byte[]>(0), reader.GetFloat(1), reader.GetBoolean(2)));
        }

        return hits;
    }

    public async Task<IReadOnlyDictionary<string, float[]>> EmbeddingsAsync(Collection collection, IReadOnlyList<byte[]> contentHashes, CancellationToken cancellationToken = default)
    {
        var embeddings = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (contentHashes.Count == 0)
        {
            return embeddings;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(StorageSql.EmbeddingsAmong(collection), connection);
        command.Parameters.AddWithValue("hashes", contentHashes.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            embeddings[Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(0))] = ReadVector(reader, 1, collection.Precision)!;
        }

        return embeddings;
    }

    public async Task<IReadOnlyDictionary<string, VectorCandidate>> CandidatesAsync(Collection collection, IReadOnlyList<byte[]> contentHashes, float[] vector, bool withEmbeddings, CancellationToken cancellationToken = default)
    {
        EnsureDimension(collection, vector);
        if (contentHashes.Count == 0)
        {
            return new Dictionary<string, VectorCandidate>();
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(StorageSql.CandidatesAmong(collection, withEmbeddings), connection);
        command.Parameters.AddWithValue("query", ToParameter(collection, vector));
        command.Parameters.AddWithValue("hashes", contentHashes.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = await ReadCandidatesAsync(reader, collection, cancellationToken);
        return found.ToDictionary(c => Convert.ToHexStringLower(c.Content.ContentHash), StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<TextItem>> TextsAsync(Collection collection, IReadOnlyList<byte[]> contentHashes, CancellationToken cancellationToken = default)
    {
        if (contentHashes.Count == 0)
        {
            return [];
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(StorageSql.TextsAmong, connection);
        command.Parameters.AddWithValue("collectionId", collection.Id);
        command.Parameters.AddWithValue("hashes", contentHashes.ToArray());
        var texts = new List<TextItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            texts.Add(new TextItem(reader.GetFieldValue<byte[]>(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return texts;
    }

    private async Task<List<VectorCandidate>> QueryCandidatesAsync(Collection collection, CandidateQuery query, string sql, int ef, bool iterative, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // SET LOCAL: the settings end with the transaction and cannot leak into the next user of this pooled connection.
        // One batch, one round trip (Npgsql sends the BEGIN with it).
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(StorageSql.SetEfSearch(ef)));
        if (iterative)
        {
            foreach (var setting in StorageSql.SetIterativeScan(Math.Max(MinScanTuples, query.Limit * 20)).Split("; "))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(setting));
            }
        }

        var select = new NpgsqlBatchCommand(sql);
        select.Parameters.AddWithValue("query", ToParameter(collection, query.Vector));
        select.Parameters.AddWithValue("limit", query.Limit);
        AddFilterParameters(select.Parameters, query.Filter);
        batch.BatchCommands.Add(select);
        List<VectorCandidate> found;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            // The SETs return no rows; the reader starts on the first result set, which is empty.
            while (reader.FieldCount == 0 && await reader.NextResultAsync(cancellationToken))
            {
            }

            found = await ReadCandidatesAsync(reader, collection, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return found;
    }

    private static async Task<List<VectorCandidate>> ReadCandidatesAsync(NpgsqlDataReader reader, Collection collection, CancellationToken cancellationToken)
    {
        var found = new List<VectorCandidate>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var summary = new ContentSummary(
                reader.GetFieldValue<byte[]>(0),
                reader.GetFieldValue<string[]>(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetDateTime(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9));
            found.Add(new VectorCandidate(summary, reader.GetDouble(1), ReadVector(reader, 2, collection.Precision)));
        }

        return found;
    }

    private static float[]? ReadVector(NpgsqlDataReader reader, int ordinal, EmbeddingPrecision precision)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        if (precision == EmbeddingPrecision.Full)
        {
            return reader.GetFieldValue<Vector>(ordinal).ToArray();
        }

        var halves = reader.GetFieldValue<HalfVector>(ordinal).ToArray();
        var values = new float[halves.Length];
        for (var i = 0; i < halves.Length; i++)
        {
            values[i] = (float)halves[i];
        }

        return values;
    }

    private static void AddFilterParameters(NpgsqlCommand command, SearchFilter filter) => AddFilterParameters(command.Parameters, filter);

    /// <summary>The values of <see cref="StorageSql.FilterClause"/>'s fragments, under the same names.</summary>
    private static void AddFilterParameters(NpgsqlParameterCollection parameters, SearchFilter filter)
    {
        if (filter.TakenAfter is { } after) parameters.AddWithValue("takenAfter", NpgsqlTypes.NpgsqlDbType.Timestamp, DateTime.SpecifyKind(after, DateTimeKind.Unspecified));
        if (filter.TakenBefore is { } before) parameters.AddWithValue("takenBefore", NpgsqlTypes.NpgsqlDbType.Timestamp, DateTime.SpecifyKind(before, DateTimeKind.Unspecified));
        if (filter.PathPrefix is { } prefix) parameters.AddWithValue("pathPrefix", PostgresConnections.StorableText(prefix));
        if (filter.Camera is { } camera) parameters.AddWithValue("camera", PostgresConnections.StorableText(camera).ToLowerInvariant());
        if (filter.MediaType is { } mediaType) parameters.AddWithValue("mediaType", PostgresConnections.StorableText(mediaType).ToLowerInvariant());
        if (filter.MinWidth is { } width) parameters.AddWithValue("minWidth", width);
        if (filter.MinHeight is { } height) parameters.AddWithValue("minHeight", height);
    }

    /// <summary>Letters and digits only, so the words can be joined into tsquery syntax without any operator of the user's.</summary>
    private static List<string> Words(string text) =>
        WordPattern().Matches(PostgresConnections.StorableText(text).ToLowerInvariant()).Select(m => m.Value)
            .Where(w => w.Length <= 64).Distinct(StringComparer.Ordinal).Take(MaxKeywordWords).ToList();

    private static string EscapeLike(string text) =>
        PostgresConnections.StorableText(text).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>pgvector 0.8 added iterative index scans; older servers fall back to the exact scan when a filter leaves too few.</summary>
    private async Task<bool> SupportsIterativeScansAsync(CancellationToken cancellationToken)
    {
        if (iterativeScans is { } known)
        {
            return known;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(StorageSql.PgvectorVersion, connection);
        var supported = await command.ExecuteScalarAsync(cancellationToken) is string version && Version.TryParse(version, out var parsed) && parsed >= new Version(0, 8);
        iterativeScans = supported;
        return supported;
    }

    private static object ToParameter(Collection collection, float[] query)
    {
        if (collection.Precision == EmbeddingPrecision.Full)
        {
            return new Vector(query);
        }

        var halves = new Half[query.Length];
        for (var i = 0; i < query.Length; i++)
        {
            halves[i] = (Half)query[i];
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

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
