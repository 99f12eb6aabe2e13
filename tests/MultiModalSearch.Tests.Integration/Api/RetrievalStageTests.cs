using System.Net;
using Dapper;
using MultiModalSearch.Abstractions.Retrieval;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Tests.Storage;
using Pgvector;

namespace MultiModalSearch.Tests.Api;

/// <summary>
/// Stage one and stage two on the synthetic "vectors" collection (10,000 clustered vectors, every /v/NN/ prefix 1% of
/// them), through HTTP: filters fill k, the plan the planner chooses, diversity, duplicate collapse, the cutoff.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RetrievalStageTests(ApiFixture fixture)
{
    [Fact]
    public async Task AOnePercentFilterStillReturnsKResultsAllMatching()
    {
        var body = await ApiJson.PostAsync(fixture.Api.Client, "/api/search",
            new { collection = ApiFixture.Vectors, assetId = ApiEndpointTests.IdOfRow(1), k = 20, filters = new { pathPrefix = "/v/07/" }, debug = true });

        var paths = body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("path").GetString()!).ToList();
        Assert.Equal(20, paths.Count);
        Assert.All(paths, p => Assert.StartsWith("/v/07/", p, StringComparison.Ordinal));
        // And they are the nearest 20 of the matching rows, as an exact scan finds them (the stored values are float16).
        var exact = ExactNearest(fixture.VectorData[1], row => ClusteredTestVectors.PathOf(row).StartsWith("/v/07/", StringComparison.Ordinal), 20);
        Assert.Equal(exact.Order(), ApiJson.Ids(body).Select(id => ClusteredTestVectors.RowOf(Convert.FromHexString(id))).Order());
    }

    [Fact]
    public async Task AFilterSelectingFewerThanKReturnsEveryMatch()
    {
        // 10,000 rows over 365 days: one day holds about 27.
        var body = await ApiJson.PostAsync(fixture.Api.Client, "/api/search", new
        {
            collection = ApiFixture.Vectors, assetId = ApiEndpointTests.IdOfRow(2), k = 100, debug = true,
            filters = new { takenAfter = "2020-03-01T00:00:00", takenBefore = "2020-03-02T00:00:00", pathPrefix = "/v/1" },
        });

        var expected = Enumerable.Range(0, ApiFixture.VectorCount).Count(r => r != 2 && r % 365 == 60 && ClusteredTestVectors.PathOf(r).StartsWith("/v/1", StringComparison.Ordinal));
        Assert.Equal(expected, body.GetProperty("results").GetArrayLength());
        Assert.Equal("exact", body.GetProperty("timings").GetProperty("plan").GetString());
    }

    [Fact]
    public async Task TheUnfilteredStageOneQueryWalksTheHnswIndexWithoutASort()
    {
        var collection = (await fixture.Storage.Collections.FindAsync(ApiFixture.Vectors))!;
        var sql = StorageSql.NearestCandidates(collection, StorageSql.FilterClause(SearchFilter.None), withEmbeddings: false, exact: false);
        await using var connection = await fixture.Storage.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(StorageSql.SetEfSearch(100), transaction: transaction);

        // No enable_seqscan = off here: the planner must choose the index by itself, as it does for users.
        var plan = string.Join('\n', await connection.QueryAsync<string>("EXPLAIN " + sql,
            new { query = new HalfVector(fixture.VectorData[0].Select(x => (Half)x).ToArray()), limit = 20 }, transaction));

        Assert.Contains($"Index Scan using {StorageSql.IndexName(collection)}", plan, StringComparison.Ordinal);
        // The only sort is the outer one over the materialised 20 rows; the scan itself is ordered by the index.
        var inner = plan[..plan.IndexOf("Index Scan", StringComparison.Ordinal)];
        Assert.DoesNotContain("->  Sort", inner[(inner.IndexOf("CTE nearest", StringComparison.Ordinal) + 1)..], StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan on embeddings", plan, StringComparison.Ordinal);

        // The control: the harmless-looking tie-break that cost Immich its index turns the same query into a sort.
        var tieBroken = sql.Replace("<=> @query LIMIT @limit", "<=> @query, content_hash LIMIT @limit", StringComparison.Ordinal);
        var sorted = string.Join('\n', await connection.QueryAsync<string>("EXPLAIN " + tieBroken,
            new { query = new HalfVector(fixture.VectorData[0].Select(x => (Half)x).ToArray()), limit = 20 }, transaction));
        Assert.Matches("Sort Key: .*content_hash", sorted);
    }

    [Fact]
    public async Task CollapseAndMmrReduceNearDuplicatesInTheTopResults()
    {
        // Near row 0 lie ten groups of five near-identical vectors: the plain top 10 is two groups of duplicates.
        var query = ApiEndpointTests.IdOfRow(0);
        var plain = await ApiJson.PostAsync(fixture.Api.Client, "/api/search", new { collection = ApiFixture.Vectors, assetId = query, k = 10 });
        var collapsed = await ApiJson.PostAsync(fixture.Api.Client, "/api/search", new { collection = ApiFixture.Vectors, assetId = query, k = 10, rerank = new { collapse = 0.98 } });
        var diverse = await ApiJson.PostAsync(fixture.Api.Client, "/api/search", new { collection = ApiFixture.Vectors, assetId = query, k = 10, rerank = new { mmr = 0.3 } });

        double MaxPairCosine(System.Text.Json.JsonElement body)
        {
            var rows = ApiJson.Ids(body).Select(id => fixture.VectorData[ClusteredTestVectors.RowOf(Convert.FromHexString(id))]).ToList();
            return rows.SelectMany((a, i) => rows.Skip(i + 1).Select(b => (double)a.Zip(b, (x, y) => x * y).Sum())).Max();
        }

        var folded = collapsed.GetProperty("results").EnumerateArray().Sum(r => r.TryGetProperty("duplicates", out var d) ? d.GetInt32() : 0);
        Assert.True(MaxPairCosine(plain) >= 0.98, $"the plain top 10 should hold near-duplicates (max pair cosine {MaxPairCosine(plain):F3})");
        Assert.True(MaxPairCosine(collapsed) < 0.98, $"collapse left near-duplicates (max pair cosine {MaxPairCosine(collapsed):F3})");
        Assert.Equal(ApiFixture.DuplicateGroups, collapsed.GetProperty("results").EnumerateArray().Count(r => r.TryGetProperty("duplicates", out var d) && d.GetInt32() == ApiFixture.DuplicatesPerGroup - 1));
        Assert.True(folded > 0, "collapse should count what it folded");
        Assert.True(MaxPairCosine(diverse) < MaxPairCosine(plain), $"MMR did not diversify ({MaxPairCosine(diverse):F3} vs {MaxPairCosine(plain):F3})");
    }

    [Fact]
    public async Task TheAutoCutoffStopsWhereTheScoresFallAway()
    {
        // A row's cluster mates (about 200, cosine ~0.73 to it) stand well above every other row (~0.4).
        var row = Enumerable.Range(1, 100).First(r => fixture.Labels[r] != fixture.Labels[0]);
        var cluster = Enumerable.Range(0, ApiFixture.VectorCount).Where(r => r != row && fixture.Labels[r] == fixture.Labels[row]).Select(r => (long)r).ToHashSet();
        var body = await ApiJson.PostAsync(fixture.Api.Client, "/api/search", new { collection = ApiFixture.Vectors, assetId = ApiEndpointTests.IdOfRow(row), k = 1000, cutoff = "auto", debug = true });
        var fixedK = await ApiJson.PostAsync(fixture.Api.Client, "/api/search", new { collection = ApiFixture.Vectors, assetId = ApiEndpointTests.IdOfRow(row), k = 1000 });

        var returned = ApiJson.Ids(body).Select(id => ClusteredTestVectors.RowOf(Convert.FromHexString(id))).ToList();
        Assert.Equal(1000, fixedK.GetProperty("results").GetArrayLength());
        Assert.InRange(returned.Count, cluster.Count * 95 / 100, cluster.Count);
        Assert.All(returned, r => Assert.Contains(r, cluster));
    }

    [Fact]
    public async Task AnAssetIdOfAnotherCollectionIsNotFound()
    {
        var emojiId = ApiJson.Ids(await ApiJson.PostAsync(fixture.Api.Client, "/api/search", new { collection = ApiFixture.Emoji, text = "cat", k = 1 }))[0];

        await ApiJson.PostAsync(fixture.Api.Client, "/api/search", new { collection = ApiFixture.Vectors, assetId = emojiId }, HttpStatusCode.NotFound);
    }

    private List<long> ExactNearest(float[] query, Func<long, bool> matches, int k) =>
        Enumerable.Range(0, fixture.VectorData.Length).Where(r => matches(r))
            .OrderByDescending(r => Dot(Halved(fixture.VectorData[r]), Halved(query))).Take(k).Select(r => (long)r).ToList();

    private static float[] Halved(float[] v) => v.Select(x => (float)(Half)x).ToArray();

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }
}
