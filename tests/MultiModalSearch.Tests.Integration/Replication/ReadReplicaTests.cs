using System.Net;
using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Tests.Api;

namespace MultiModalSearch.Tests.Replication;

/// <summary>
/// Searches read from a real streaming replica (MMS_READ_DATABASE_URL) while keys and visibility are checked on the
/// primary. While the replica lags, a search sees the replica's older but consistent state; a collection made private
/// on the primary is hidden at once all the same.
/// </summary>
public sealed class ReadReplicaTests
{
    [Fact]
    public async Task SearchesReadTheReplicaAndSeeItsStateWhileItLags()
    {
        await using var pair = await StreamingReplica.StartAsync();
        var vectors = ClusteredTestVectors.Generate(500, 32, centres: 10, seed: 21, out _);
        await using var primary = await PostgresDatabase.ConnectAsync(pair.PrimaryUrl);
        await ClusteredTestVectors.LoadAsync(primary, "replicated", vectors);
        await pair.CatchUpAsync();
        await using var api = await ApiServer.StartAsync(pair.PrimaryUrl, new Dictionary<string, string?> { ["Database:ReadUrl"] = pair.ReplicaUrl });
        var query = new { collection = "replicated", assetId = Convert.ToHexStringLower(ClusteredTestVectors.Hash(0)), k = 3 };

        await api.WaitReadyAsync(TimeSpan.FromMinutes(3));
        var ready = await ApiJson.GetAsync(api.Client, "/readyz");
        var before = await ApiJson.PostAsync(api.Client, "/api/search", query);
        Assert.Contains("read replica", ready.GetProperty("checks").GetProperty("database").GetProperty("description").GetString());
        Assert.Equal(3, before.GetProperty("results").GetArrayLength());

        // The replica stops applying WAL; the primary gains an exact twin of the query, which would be the best hit.
        await pair.PauseReplayAsync();
        var collection = (await primary.Collections.FindAsync("replicated"))!;
        await AddTwinAsync(primary, collection, vectors[0]);
        var lagging = await ApiJson.PostAsync(api.Client, "/api/search", query);
        Assert.Equal(ApiJson.Ids(before), ApiJson.Ids(lagging));
        await ApiJson.PostAsync(api.Client, "/api/search", query with { assetId = Convert.ToHexStringLower(Twin) }, HttpStatusCode.NotFound);

        // Visibility lives on the primary: private now means hidden now, however far the replica lags.
        await primary.Access.SetVisibilityAsync("replicated", CollectionVisibility.Private);
        await ApiJson.PostAsync(api.Client, "/api/search", query, HttpStatusCode.NotFound);
        await primary.Access.SetVisibilityAsync("replicated", CollectionVisibility.Public);

        await pair.ResumeReplayAsync();
        await pair.CatchUpAsync();
        var caughtUp = await ApiJson.PostAsync(api.Client, "/api/search", query);
        Assert.Equal(Convert.ToHexStringLower(Twin), ApiJson.Ids(caughtUp)[0]);
    }

    private static readonly byte[] Twin = Enumerable.Repeat((byte)0xee, 32).ToArray();

    private static async Task AddTwinAsync(PostgresDatabase primary, Collection collection, float[] vector)
    {
        await primary.WorkQueue.UpsertCrawlAsync(collection, [new CrawlEntry("/twin.jpg", 10, DateTimeOffset.UtcNow)]);
        var claimed = await primary.WorkQueue.ClaimAsync(collection, "test", 10);
        await primary.WorkQueue.RecordResultsAsync(collection, [new AssetResult(claimed.Single().AssetId, Twin)], [new EmbeddingRow(Twin, vector)]);
    }
}
