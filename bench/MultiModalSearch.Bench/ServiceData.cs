using System.Buffers.Binary;
using System.Diagnostics;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace MultiModalSearch.Bench;

/// <summary>
/// `bench service-data --rows N`: the database the service benchmark queries, built once and kept (a million rows take
/// a long while to index on 2 cores): database bench_service_N of the bench cluster, one collection "bench" of N
/// clustered 512-d vectors (<see cref="ClusteredVectors"/>, the storage benchmark's data) with an indexed path each, the
/// HNSW index built at the end. The collection's model is the random-weight ViT-B/32 folder (`bench make-model`), so the
/// service embeds texts at the real cost. Path /bench/NN/row.jpg: every "/bench/NN/" prefix selects 1% of the rows.
/// </summary>
internal sealed class ServiceData(BenchPaths paths, int rows)
{
    public const int Dim = 512;
    public const int Centres = 1000;
    public const int Seed = 20261123;
    public const string Collection = "bench";
    private const int CopyBatch = 20000;

    public string DatabaseName => $"bench_service_{rows}";

    public static ClusteredVectors Generator() => new(Dim, Centres, Seed);

    /// <summary>Row number i's vector (deterministic: the chunking matches the generator's seeding).</summary>
    public static float[][] Generate(int rows)
    {
        var generator = Generator();
        var chunks = Enumerable.Range(0, (rows + CopyBatch - 1) / CopyBatch).ToArray();
        var parts = new float[chunks.Length][][];
        Parallel.ForEach(chunks, c => parts[c] = generator.Rows(c * CopyBatch, Math.Min(CopyBatch, rows - (c * CopyBatch)), 0));
        return parts.SelectMany(p => p).ToArray();
    }

    /// <summary>The content hash of row i carries its number, so results map back to the exact neighbours.</summary>
    public static byte[] Hash(long row)
    {
        var hash = new byte[32];
        BinaryPrimitives.WriteInt64LittleEndian(hash, row);
        return hash;
    }

    public static long RowOf(byte[] hash) => BinaryPrimitives.ReadInt64LittleEndian(hash);

    /// <summary>Creates the database unless a complete one exists; returns its connection string.</summary>
    public async Task<string> EnsureAsync(BenchDatabase database)
    {
        var connection = await database.ConnectionStringAsync(DatabaseName);
        if (connection is not null && await IsCompleteAsync(connection))
        {
            Console.Error.WriteLine($"service-data: {DatabaseName} is complete ({rows} rows, index valid): kept");
            return connection;
        }

        var model = paths.RandomModel;
        if (!File.Exists(Path.Combine(model, "config.json")))
        {
            throw new InvalidOperationException($"{model} is missing: run `bench make-model` first");
        }

        var clock = Stopwatch.StartNew();
        var data = Generate(rows);
        Console.Error.WriteLine($"service-data: {rows} vectors generated in {clock.Elapsed.TotalSeconds:F0} s");
        connection = await database.CreateFreshAsync(DatabaseName);
        await using var storage = await PostgresDatabase.ConnectAsync(connection, HnswBuildMemory.ForLocalServer());
        var collection = await storage.Collections.OpenAsync(Collection, model, Dim, EmbeddingPrecision.Half);
        await storage.Vectors.DropSearchIndexAsync(collection);
        for (var start = 0; start < rows; start += CopyBatch)
        {
            var count = Math.Min(CopyBatch, rows - start);
            await storage.Vectors.CopyEmbeddingsAsync(collection, Enumerable.Range(start, count).Select(i => new EmbeddingRow(Hash(i), data[i])).ToList());
            await CopyAssetsAsync(storage.DataSource, collection, start, count);
            if ((start / CopyBatch) % 10 == 9)
            {
                Console.Error.WriteLine($"  copied {start + count}/{rows} rows ({clock.Elapsed.TotalSeconds:F0} s)");
            }
        }

        Console.Error.WriteLine($"service-data: rows copied at {clock.Elapsed.TotalSeconds:F0} s; building the HNSW index");
        await using (var monitor = new HnswBuildMonitor(storage.DataSource, TimeSpan.FromSeconds(60), rows))
        {
            monitor.Start();
            await storage.Vectors.EnsureSearchIndexAsync(collection);
        }

        foreach (var table in new[] { "assets", "embeddings" })
        {
            // One statement per command: VACUUM cannot run inside the implicit transaction of a multi-statement one.
            await using var vacuum = storage.DataSource.CreateCommand($"VACUUM ANALYZE {table}");
            vacuum.CommandTimeout = 0;
            await vacuum.ExecuteNonQueryAsync();
        }

        Console.Error.WriteLine($"service-data: {DatabaseName} ready in {clock.Elapsed.TotalMinutes:F1} min");
        return connection;
    }

    private async Task<bool> IsCompleteAsync(string connection)
    {
        try
        {
            await using var storage = await PostgresDatabase.ConnectAsync(connection);
            var collection = await storage.Collections.FindAsync(Collection);
            if (collection is null || !await storage.Vectors.HasSearchIndexAsync(collection))
            {
                return false;
            }

            await using var count = storage.DataSource.CreateCommand("SELECT count(*) FROM assets WHERE status = 'indexed'");
            return (long)(await count.ExecuteScalarAsync())! == rows;
        }
        catch (PostgresException)
        {
            return false;
        }
    }

    /// <summary>One indexed path per row, with metadata that the filters can select on.</summary>
    private static async Task CopyAssetsAsync(NpgsqlDataSource dataSource, Collection collection, int start, int count)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY assets (collection_id, path, path_bytes, content_hash, media_type, width, height, bytes, file_mtime, exif_taken_at, camera_make, camera_model, status, indexed_at) FROM STDIN (FORMAT BINARY)");
        var now = DateTime.UtcNow;
        for (var i = start; i < start + count; i++)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(collection.Id, NpgsqlDbType.Integer);
            var path = $"/bench/{i % 100:00}/{i:0000000}.jpg";
            await writer.WriteAsync(path, NpgsqlDbType.Text);
            await writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(path), NpgsqlDbType.Bytea);
            await writer.WriteAsync(Hash(i), NpgsqlDbType.Bytea);
            await writer.WriteAsync("image/jpeg", NpgsqlDbType.Text);
            await writer.WriteAsync(i % 2 == 0 ? 4000 : 3000, NpgsqlDbType.Integer);
            await writer.WriteAsync(i % 2 == 0 ? 3000 : 4000, NpgsqlDbType.Integer);
            await writer.WriteAsync(1_000_000L + i, NpgsqlDbType.Bigint);
            await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(new DateTime(2000, 1, 1).AddDays(i * 7919L % 9000).AddSeconds(i % 86400), NpgsqlDbType.Timestamp);
            await writer.WriteAsync("Canon", NpgsqlDbType.Text);
            await writer.WriteAsync($"EOS {i % 7}D", NpgsqlDbType.Text);
            await writer.WriteAsync("indexed", NpgsqlDbType.Text);
            await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
        }

        await writer.CompleteAsync();
    }
}
