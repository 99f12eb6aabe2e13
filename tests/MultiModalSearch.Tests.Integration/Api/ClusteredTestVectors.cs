using System.Buffers.Binary;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Storage.Postgres;
using NpgsqlTypes;
using MultiModalSearch.Tests.Storage;

namespace MultiModalSearch.Tests.Api;

/// <summary>
/// Synthetic collections for the retrieval tests: unit vectors clustered like CLIP embeddings (shared direction plus a
/// centre plus noise, as the benchmarks use), bulk-loaded by COPY with one indexed path per row. The content hash of
/// row i carries i, and the path is /v/NN/i.jpg (every /v/NN/ prefix holds 1% of the rows).
/// </summary>
internal static class ClusteredTestVectors
{
    public static float[][] Generate(int count, int dim, int centres, int seed, out int[] labels, double noise = 0.6)
    {
        var random = new Random(seed);
        var common = Scaled(StorageTestData.Gaussian(random, dim), 1.0 / Math.Sqrt(dim));
        var centreVectors = Enumerable.Range(0, centres).Select(_ => StorageTestData.Normalize(Add(common, Scaled(StorageTestData.Gaussian(random, dim), 1.0 / Math.Sqrt(dim))))).ToArray();
        labels = Enumerable.Range(0, count).Select(_ => random.Next(centres)).ToArray();
        var vectors = new float[count][];
        for (var i = 0; i < count; i++)
        {
            vectors[i] = Near(centreVectors[labels[i]], noise, random);
        }

        return vectors;
    }

    /// <summary>A unit vector at about this distance (noise norm) from <paramref name="centre"/>.</summary>
    public static float[] Near(float[] centre, double noise, Random random) =>
        StorageTestData.Normalize(Add(centre, Scaled(StorageTestData.Gaussian(random, centre.Length), noise / Math.Sqrt(centre.Length))));

    public static byte[] Hash(long row)
    {
        var hash = new byte[32];
        BinaryPrimitives.WriteInt64LittleEndian(hash, row);
        hash[31] = 0x5a;
        return hash;
    }

    public static long RowOf(byte[] hash) => BinaryPrimitives.ReadInt64LittleEndian(hash);

    public static string PathOf(long row) => $"/v/{row % 100:00}/{row}.jpg";

    /// <summary>Loads the rows with the index dropped, then builds it once (the indexer's bulk path).</summary>
    public static async Task<Collection> LoadAsync(PostgresDatabase storage, string name, float[][] vectors, Func<long, DateTime?>? takenAt = null)
    {
        var collection = await storage.Collections.OpenAsync(name, "synthetic", vectors[0].Length);
        await storage.Vectors.DropSearchIndexAsync(collection);
        const int batch = 10000;
        for (var start = 0; start < vectors.Length; start += batch)
        {
            var count = Math.Min(batch, vectors.Length - start);
            await storage.Vectors.CopyEmbeddingsAsync(collection, Enumerable.Range(start, count).Select(i => new EmbeddingRow(Hash(i), vectors[i])).ToList());
            await using var connection = await storage.DataSource.OpenConnectionAsync();
            await using var writer = await connection.BeginBinaryImportAsync(
                "COPY assets (collection_id, path, path_bytes, content_hash, media_type, width, height, bytes, file_mtime, exif_taken_at, status, indexed_at) FROM STDIN (FORMAT BINARY)");
            for (var i = start; i < start + count; i++)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(collection.Id, NpgsqlDbType.Integer);
                await writer.WriteAsync(PathOf(i), NpgsqlDbType.Text);
                await writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(PathOf(i)), NpgsqlDbType.Bytea);
                await writer.WriteAsync(Hash(i), NpgsqlDbType.Bytea);
                await writer.WriteAsync("image/jpeg", NpgsqlDbType.Text);
                await writer.WriteAsync(640, NpgsqlDbType.Integer);
                await writer.WriteAsync(480, NpgsqlDbType.Integer);
                await writer.WriteAsync(1000L, NpgsqlDbType.Bigint);
                await writer.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
                if (takenAt?.Invoke(i) is { } taken)
                {
                    await writer.WriteAsync(taken, NpgsqlDbType.Timestamp);
                }
                else
                {
                    await writer.WriteNullAsync();
                }

                await writer.WriteAsync("indexed", NpgsqlDbType.Text);
                await writer.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
            }

            await writer.CompleteAsync();
        }

        await storage.Vectors.EnsureSearchIndexAsync(collection);
        await using (var analyze = storage.DataSource.CreateCommand("ANALYZE assets; ANALYZE embeddings"))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        return collection;
    }

    private static float[] Add(float[] a, float[] b) => a.Select((x, i) => x + b[i]).ToArray();

    private static float[] Scaled(float[] a, double factor) => a.Select(x => (float)(x * factor)).ToArray();
}
