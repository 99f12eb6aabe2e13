using System.Diagnostics;
using System.Globalization;
using Dapper;
using MultiModalSearch.Storage;
using Xunit.Abstractions;

namespace MultiModalSearch.Tests.Storage;

/// <summary>The numbers in docs/storage.md. Run: MMS_STORAGE_BENCH=1 dotnet test --filter StorageBenchmarks.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StorageBenchmarks(PostgresFixture fixture, ITestOutputHelper output)
{
    private const int Dim = 512;

    [StorageBenchFact]
    public async Task CopyAndIndexBuildAt100k()
    {
        var vectors = StorageTestData.UnitVectors(100_000, Dim, seed: 11);
        await using var client = await StorageClient.OpenAsync(await fixture.CreateDatabaseAsync());
        foreach (var precision in new[] { EmbeddingPrecision.Half, EmbeddingPrecision.Full })
        {
            var collection = await client.OpenCollectionAsync("bulk-" + precision, "bench", Dim, precision);
            await client.DropSearchIndexAsync(collection);
            var copy = Stopwatch.StartNew();
            foreach (var chunk in vectors.Select((v, i) => new EmbeddingRow(StorageTestData.Hash($"{precision}{i}"), v)).Chunk(10_000))
                await client.CopyEmbeddingsAsync(collection, chunk);
            copy.Stop();
            var build = Stopwatch.StartNew();
            await client.EnsureSearchIndexAsync(collection);
            build.Stop();
            var size = await IndexSizeAsync(client, collection);
            var extra = vectors.Take(5_000).Select((v, i) => new EmbeddingRow(StorageTestData.Hash($"extra{precision}{i}"), StorageTestData.Perturb(v, 0.1, i))).ToList();
            var incremental = Stopwatch.StartNew();
            await client.CopyEmbeddingsAsync(collection, extra);
            incremental.Stop();
            var latency = await SearchLatencyAsync(client, collection);
            Report($"{precision}: COPY 100k without index {copy.Elapsed.TotalSeconds:0.0}s = {100_000 / copy.Elapsed.TotalSeconds:0} rows/s; " +
                   $"HNSW build {build.Elapsed.TotalSeconds:0.0}s, index {size / 1048576.0:0.0} MiB; " +
                   $"COPY 5k into the indexed table {5_000 / incremental.Elapsed.TotalSeconds:0} rows/s; search k=10 ef=100 {latency:0.00} ms");
        }
    }

    [StorageBenchFact]
    public async Task RecallAt10On20k()
    {
        await using var client = await StorageClient.OpenAsync(await fixture.CreateDatabaseAsync());
        var uniform = StorageTestData.UnitVectors(20_000, Dim, seed: 21);
        var uniformQueries = StorageTestData.UnitVectors(200, Dim, seed: 22);
        var clustered = Clustered(20_000, centres: 200, noise: 0.035, seed: 23);
        var clusteredQueries = Clustered(200, centres: 200, noise: 0.035, seed: 23, offset: 20_000);
        foreach (var (name, data, queries) in new[] { ("uniform", uniform, uniformQueries), ("clustered", clustered, clusteredQueries) })
        foreach (var precision in new[] { EmbeddingPrecision.Half, EmbeddingPrecision.Full })
        {
            var collection = await client.OpenCollectionAsync($"recall-{name}-{precision}", "bench", Dim, precision);
            await client.DropSearchIndexAsync(collection);
            await client.CopyEmbeddingsAsync(collection, data.Select((v, i) => new EmbeddingRow(StorageTestData.Hash($"{name}{i}"), v)).ToList());
            await client.EnsureSearchIndexAsync(collection);
            var exact = queries.Select(q => ExactTop10(name, data, q)).ToList();
            foreach (var ef in new[] { 40, 100, 200 })
            {
                var recall = await RecallAsync(client, collection, queries, exact, ef);
                Report($"recall@10 {name} {precision} ef_search={ef}: {recall:0.000} (index {await IndexSizeAsync(client, collection) / 1048576.0:0.0} MiB)");
            }
        }
    }

    private static async Task<double> RecallAsync(StorageClient client, Collection collection, float[][] queries, List<HashSet<string>> exact, int ef)
    {
        // Search joins hits to indexed assets; the bench table has none, so ask the nearest-neighbour query directly.
        var found = 0;
        await using var connection = await client.DataSource.OpenConnectionAsync();
        for (var q = 0; q < queries.Length; q++)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync(StorageSql.SetEfSearch(ef), transaction: transaction);
            var hashes = await connection.QueryAsync<byte[]>($"SELECT content_hash FROM ({StorageSql.Nearest(collection)}) n",
                new { query = QueryParameter(collection, queries[q]), k = 10 }, transaction);
            found += hashes.Count(h => exact[q].Contains(Convert.ToHexString(h)));
            await transaction.CommitAsync();
        }
        return found / (10.0 * queries.Length);
    }

    private static HashSet<string> ExactTop10(string name, float[][] data, float[] query) =>
        data.Select((v, i) => (i, dot: Dot(v, query))).OrderByDescending(x => x.dot).Take(10)
            .Select(x => Convert.ToHexString(StorageTestData.Hash($"{name}{x.i}"))).ToHashSet();

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static object QueryParameter(Collection collection, float[] q) => collection.Precision == EmbeddingPrecision.Half
        ? new Pgvector.HalfVector(q.Select(x => (Half)x).ToArray())
        : new Pgvector.Vector(q);

    private static float[][] Clustered(int count, int centres, double noise, int seed, int offset = 0)
    {
        // CLIP embeddings are not uniform on the sphere: photos form clusters (people, beaches, documents...).
        // noise 0.035 per coordinate puts members at cosine ~0.8 from their centre.
        var centreVectors = StorageTestData.UnitVectors(centres, Dim, seed);
        return Enumerable.Range(offset, count).Select(i => StorageTestData.Perturb(centreVectors[i % centres], noise, seed * 1000 + i)).ToArray();
    }

    private static async Task<double> SearchLatencyAsync(StorageClient client, Collection collection)
    {
        var queries = StorageTestData.UnitVectors(100, Dim, seed: 99);
        await using var connection = await client.DataSource.OpenConnectionAsync();
        var watch = Stopwatch.StartNew();
        foreach (var q in queries)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync(StorageSql.SetEfSearch(100), transaction: transaction);
            await connection.QueryAsync<byte[]>($"SELECT content_hash FROM ({StorageSql.Nearest(collection)}) n",
                new { query = QueryParameter(collection, q), k = 10 }, transaction);
            await transaction.CommitAsync();
        }
        return watch.Elapsed.TotalMilliseconds / queries.Length;
    }

    private static async Task<long> IndexSizeAsync(StorageClient client, Collection collection)
    {
        await using var connection = await client.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT pg_relation_size(@name::regclass)", new { name = StorageSql.IndexName(collection) });
    }

    private void Report(string line)
    {
        output.WriteLine(line);
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "mms-storage-bench.txt"), string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:u} {line}\n"));
    }
}
