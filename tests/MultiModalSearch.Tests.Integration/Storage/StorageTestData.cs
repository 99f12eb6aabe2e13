using System.Security.Cryptography;
using System.Text;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Storage;

internal static class StorageTestData
{
    public static byte[] Hash(string content) => SHA256.HashData(Encoding.UTF8.GetBytes(content));

    public static string UniqueName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    public static float[][] UnitVectors(int count, int dim, int seed)
    {
        var random = new Random(seed);
        var vectors = new float[count][];
        for (var i = 0; i < count; i++) vectors[i] = Normalize(Gaussian(random, dim));
        return vectors;
    }

    public static float[] Perturb(float[] vector, double noise, int seed)
    {
        var random = new Random(seed);
        var g = Gaussian(random, vector.Length);
        return Normalize(vector.Select((v, i) => v + (float)(noise * g[i])).ToArray());
    }

    public static float[] Normalize(float[] v)
    {
        var norm = (float)Math.Sqrt(v.Sum(x => (double)x * x));
        return v.Select(x => x / norm).ToArray();
    }

    public static float[] Gaussian(Random random, int dim)
    {
        var v = new float[dim];
        for (var i = 0; i < dim; i++)
        {
            // Box-Muller: a Gaussian per coordinate makes the direction uniform on the sphere.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            v[i] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return v;
    }

    public static CrawlEntry Entry(string path, long bytes = 100) =>
        new(path, bytes, new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Crawls the paths, claims them all and records each with its content and embedding.</summary>
    public static async Task<IReadOnlyList<WorkItem>> IndexAsync(PostgresDatabase client, Collection collection, IReadOnlyList<(string Path, string Content, float[] Embedding)> files)
    {
        await client.WorkQueue.UpsertCrawlAsync(collection, files.Select(f => Entry(f.Path)));
        var claimed = await client.WorkQueue.ClaimAsync(collection, "indexer", files.Count + 10);
        var byPath = files.ToDictionary(f => f.Path);
        var results = claimed.Select(w => new AssetResult(w.AssetId, Hash(byPath[w.Path].Content), MediaType: "image/jpeg", Width: 10, Height: 10)).ToList();
        var embeddings = claimed.Select(w => new EmbeddingRow(Hash(byPath[w.Path].Content), byPath[w.Path].Embedding)).ToList();
        await client.WorkQueue.RecordResultsAsync(collection, results, embeddings);
        return claimed;
    }
}
