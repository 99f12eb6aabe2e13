using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Storage.Postgres;
using Npgsql;
using Pgvector;

namespace MultiModalSearch.Bench;

/// <summary>
/// `bench storage`: for `vector` and `halfvec` in turn, each in a fresh database: COPY rows/s into a collection whose
/// HNSW index was dropped (the bulk-load path), the index build time and size, then recall@10 at ef_search 100 against
/// exact float32 neighbours for 200 queries, on clustered synthetic unit vectors (<see cref="ClusteredVectors"/>).
/// </summary>
internal sealed class StorageBenchmark(BenchPaths paths, int rows, int dim, TimeSpan progressInterval)
{
    private const int Queries = 200;
    private const int K = 10;
    private const int EfSearch = 100;
    private const int Centres = 1000;
    private const int CopyBatch = 10000;
    private const int QuerySeed = 1_000_003;
    private const string DatabaseName = "bench_storage";

    public async Task RunAsync()
    {
        PrintEstimate();
        var clock = Stopwatch.StartNew();
        var generator = new ClusteredVectors(dim, Centres, seed: 20261123);
        var data = Generate(generator);
        var queries = generator.Rows(0, Queries, QuerySeed);
        var truth = ExactNeighbours.TopK(data, queries, K);
        Console.Error.WriteLine($"storage: {rows} vectors and exact neighbours of {Queries} queries ready in {clock.Elapsed.TotalSeconds:F0} s");
        await using var database = await BenchDatabase.StartAsync(paths);
        var results = new List<StorageResult>();
        foreach (var precision in new[] { EmbeddingPrecision.Full, EmbeddingPrecision.Half })
        {
            results.Add(await MeasureAsync(database, precision, data, queries, truth));
        }

        Report(results);
    }

    /// <summary>Rough, from docs/benchmarks.md (2 cores: COPY about 20k rows/s; a graph that fits in memory builds at about 100k rows/min).</summary>
    private void PrintEstimate()
    {
        var copyMinutes = rows / 20000.0 / 60;
        var buildMinutes = rows / 100000.0;
        Console.Error.WriteLine($"storage: {rows} rows x {dim}: expect roughly {2 * (copyMinutes + buildMinutes):F1} min on 2 cores " +
                                $"(per type: COPY {copyMinutes:F1} min, HNSW build {buildMinutes:F1} min); progress follows");
        // Past maintenance_work_mem the build goes on on disk, several times slower; the product sizes the setting to the graph, up to a cap.
        var graphBytes = HnswBuildMemory.GraphBytes(rows, dim, EmbeddingPrecision.Full);
        if (graphBytes > BuildMemory.Cap)
        {
            Console.Error.WriteLine($"storage: the vector graph (~{graphBytes / (double)HnswBuildMemory.GiB:F1} GiB) exceeds the build memory cap ({BuildMemory.Cap / (double)HnswBuildMemory.GiB:F1} GiB): expect that build to slow down once it is full");
        }
    }

    /// <summary>The product's default for a server on this machine (the embedded cluster), unless $MMS_INDEX_BUILD_MEMORY says otherwise.</summary>
    // The same cap the CLI takes from MMS_INDEX_BUILD_MEMORY.
    private static HnswBuildMemory BuildMemory { get; } =
        Environment.GetEnvironmentVariable("MMS_INDEX_BUILD_MEMORY") is { Length: > 0 } cap ? HnswBuildMemory.Parse(cap) : HnswBuildMemory.ForLocalServer();

    private float[][] Generate(ClusteredVectors generator)
    {
        var chunks = Enumerable.Range(0, (rows + CopyBatch - 1) / CopyBatch).ToArray();
        var parts = new float[chunks.Length][][];
        Parallel.ForEach(chunks, c => parts[c] = generator.Rows(c * CopyBatch, Math.Min(CopyBatch, rows - (c * CopyBatch)), 0));
        return parts.SelectMany(p => p).ToArray();
    }

    private async Task<StorageResult> MeasureAsync(BenchDatabase database, EmbeddingPrecision precision, float[][] data, float[][] queries, long[][] truth)
    {
        var connection = await database.CreateFreshAsync(DatabaseName);
        try
        {
            await using var storage = await PostgresDatabase.ConnectAsync(connection, BuildMemory);
            var collection = await storage.Collections.OpenAsync($"storage-{precision}", "bench-random", dim, precision);
            var vectorType = StorageSql.VectorType(precision);
            await storage.Vectors.DropSearchIndexAsync(collection);
            var copyRate = await CopyAsync(storage, collection, data, vectorType);
            var buildSeconds = await BuildAsync(storage, collection, vectorType);
            var (indexBytes, tableBytes) = await SizesAsync(storage.DataSource, collection);
            var (recall, milliseconds, indexUsed) = await RecallAsync(storage.DataSource, collection, queries, truth);
            return new StorageResult(vectorType, copyRate, buildSeconds, indexBytes, tableBytes, recall, milliseconds, indexUsed);
        }
        finally
        {
            await database.DropAsync(DatabaseName);
        }
    }

    private static async Task<double> CopyAsync(PostgresDatabase storage, Collection collection, float[][] data, string vectorType)
    {
        var clock = Stopwatch.StartNew();
        var lastReport = 0.0;
        for (var start = 0; start < data.Length; start += CopyBatch)
        {
            var batch = Enumerable.Range(start, Math.Min(CopyBatch, data.Length - start)).Select(i => new EmbeddingRow(Hash(i), data[i])).ToList();
            await storage.Vectors.CopyEmbeddingsAsync(collection, batch);
            var done = start + batch.Count;
            if (clock.Elapsed.TotalSeconds - lastReport > 15 && done < data.Length)
            {
                lastReport = clock.Elapsed.TotalSeconds;
                var rate = done / lastReport;
                Console.Error.WriteLine($"  {vectorType} copy: {done}/{data.Length} rows, {rate:F0} rows/s, about {(data.Length - done) / rate / 60:F1} min left");
            }
        }

        return data.Length / clock.Elapsed.TotalSeconds;
    }

    private async Task<double> BuildAsync(PostgresDatabase storage, Collection collection, string vectorType)
    {
        Console.Error.WriteLine($"  {vectorType}: building the HNSW index");
        await using var monitor = new HnswBuildMonitor(storage.DataSource, progressInterval, rows);
        monitor.Start();
        var clock = Stopwatch.StartNew();
        await storage.Vectors.EnsureSearchIndexAsync(collection);
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<(long Index, long Table)> SizesAsync(NpgsqlDataSource dataSource, Collection collection)
    {
        // The table holds only this collection (fresh database); pg_table_size includes its TOAST.
        await using var command = dataSource.CreateCommand($"SELECT pg_relation_size('{StorageSql.IndexName(collection)}'::regclass), pg_table_size('embeddings')");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>The product's own nearest-neighbour SQL at ef_search 100; recall is the overlap with the exact top 10.</summary>
    private static async Task<(double Recall, double Milliseconds, bool IndexUsed)> RecallAsync(NpgsqlDataSource dataSource, Collection collection, float[][] queries, long[][] truth)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var indexUsed = await UsesIndexAsync(connection, collection, queries[0]);
        var found = 0;
        var clock = Stopwatch.StartNew();
        for (var q = 0; q < queries.Length; q++)
        {
            var nearest = await NearestAsync(connection, collection, queries[q]);
            found += nearest.Count(truth[q].Contains);
        }

        return ((double)found / (queries.Length * K), clock.Elapsed.TotalMilliseconds / queries.Length, indexUsed);
    }

    private static async Task<List<long>> NearestAsync(NpgsqlConnection connection, Collection collection, float[] query)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var ef = new NpgsqlCommand(StorageSql.SetEfSearch(EfSearch), connection, transaction))
        {
            await ef.ExecuteNonQueryAsync();
        }

        await using var command = NearestCommand(connection, transaction, collection, query, StorageSql.Nearest(collection));
        var rowNumbers = new List<long>(K);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rowNumbers.Add(BinaryPrimitives.ReadInt64LittleEndian(reader.GetFieldValue<byte[]>(0)));
            }
        }

        await transaction.CommitAsync();
        return rowNumbers;
    }

    /// <summary>A recall of 1.0 from a sequential scan would prove nothing: check the plan uses the HNSW index.</summary>
    private static async Task<bool> UsesIndexAsync(NpgsqlConnection connection, Collection collection, float[] query)
    {
        await using var command = NearestCommand(connection, null, collection, query, "EXPLAIN " + StorageSql.Nearest(collection));
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(0));
        }

        return plan.Any(line => line.Contains(StorageSql.IndexName(collection), StringComparison.Ordinal));
    }

    private static NpgsqlCommand NearestCommand(NpgsqlConnection connection, NpgsqlTransaction? transaction, Collection collection, float[] query, string sql)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("query", collection.Precision == EmbeddingPrecision.Half ? ToHalf(query) : new Vector(query));
        command.Parameters.AddWithValue("k", K);
        return command;
    }

    private static HalfVector ToHalf(float[] values) => new(values.Select(v => (Half)v).ToArray());

    /// <summary>A content hash that carries the row number, so search results map back to the exact neighbours.</summary>
    private static byte[] Hash(long row)
    {
        var hash = new byte[32];
        BinaryPrimitives.WriteInt64LittleEndian(hash, row);
        return hash;
    }

    private void Report(List<StorageResult> results)
    {
        static string MiB(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);
        BenchReport.PrintGrid($"Storage: {rows} rows x {dim} dimensions", ["type", "COPY rows/s (no index)", "HNSW build s", "index MiB", "table MiB", "recall@10 (ef 100)", "ms/query", "plan uses index"],
            results.Select(r => (IReadOnlyList<string>)
            [
                r.VectorType, r.CopyRowsPerSecond.ToString("F0", CultureInfo.InvariantCulture), r.BuildSeconds.ToString("F1", CultureInfo.InvariantCulture),
                MiB(r.IndexBytes), MiB(r.TableBytes), r.Recall.ToString("F4", CultureInfo.InvariantCulture),
                r.QueryMilliseconds.ToString("F2", CultureInfo.InvariantCulture), r.IndexUsed ? "yes" : "NO",
            ]).ToList(),
        [
            $"{Centres} clusters (synthetic unit vectors, seeded), {Queries} queries from the same distribution, exact float32 neighbours as truth",
            $"HNSW m {StorageSql.HnswM}, ef_construction {StorageSql.HnswEfConstruction}, maintenance_work_mem sized to the graph up to {BuildMemory.Cap / (double)HnswBuildMemory.GiB:F1} GiB (the product's embedded default); each type in a fresh database; {Environment.ProcessorCount} cores",
        ]);
    }
}
