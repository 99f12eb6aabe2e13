using System.Numerics;
using MultiModalSearch.Abstractions.Retrieval;
using MultiModalSearch.Core.Retrieval;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Tests.Storage;

namespace MultiModalSearch.Tests.Api;

/// <summary>
/// Stage one's recall@10 against exact search on 100,000 clustered 512-d vectors (CLIP's size, clustered like real
/// collections) with the default settings: what k = 10 gets from the HNSW index must be at least 95% of the true
/// nearest ten. The stage-one query runs as the service runs it (its width from RetrievalOptions' defaults).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StageOneRecallTests(PostgresFixture fixture)
{
    private const int Rows = 100_000;
    private const int Queries = 100;
    private const int K = 10;

    [Fact]
    public async Task RecallAtTenIsAtLeast95PercentWithDefaultSettings()
    {
        var all = ClusteredTestVectors.Generate(Rows + Queries, 512, centres: 1000, seed: 3, out _);
        var data = all[..Rows];
        var queries = all[Rows..];
        await using var storage = await PostgresDatabase.ConnectAsync(await fixture.CreateDatabaseAsync());
        var collection = await ClusteredTestVectors.LoadAsync(storage, "recall", data);
        var options = new RetrievalOptions();
        // The width the service would use for this collection: its size from the index's estimate.
        var size = await storage.Retrieval.ApproximateSizeAsync(collection);
        var ef = options.EfSearchFor(K, size);

        Assert.InRange(size, Rows * 0.9, Rows * 1.1);
        var found = 0;
        foreach (var query in queries)
        {
            var candidates = await storage.Retrieval.NearestAsync(collection, new CandidateQuery(query, K, ef, SearchFilter.None));
            var truth = ExactTop(data, query).ToHashSet();
            found += candidates.Candidates.Count(c => truth.Contains(ClusteredTestVectors.RowOf(c.Content.ContentHash)));
            Assert.Equal("hnsw", candidates.Plan);
        }

        var recall = found / (double)(Queries * K);
        Assert.True(recall >= 0.95, $"recall@10 {recall:F4} with ef_search {ef}");
    }

    private static IEnumerable<long> ExactTop(float[][] data, float[] query)
    {
        var scores = new (double Score, long Row)[data.Length];
        for (var i = 0; i < data.Length; i++)
        {
            scores[i] = (Dot(data[i], query), i);
        }

        return scores.OrderByDescending(s => s.Score).Take(K).Select(s => s.Row);
    }

    private static double Dot(float[] a, float[] b)
    {
        var sum = Vector<float>.Zero;
        var width = Vector<float>.Count;
        var i = 0;
        for (; i <= a.Length - width; i += width)
        {
            sum += new Vector<float>(a, i) * new Vector<float>(b, i);
        }

        double total = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }
}
