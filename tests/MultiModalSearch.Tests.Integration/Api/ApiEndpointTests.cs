using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace MultiModalSearch.Tests.Api;

/// <summary>Every endpoint of the service, over real HTTP, on a collection the real indexer built.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiEndpointTests(ApiFixture fixture)
{
    private HttpClient Client => fixture.Api.Client;

    [Fact]
    public async Task CollectionsListsThePublicCollectionsWithTheirModelAndCounts()
    {
        var body = await ApiJson.GetAsync(Client, "/api/collections");

        var emoji = body.GetProperty("collections").EnumerateArray().Single(c => c.GetProperty("name").GetString() == ApiFixture.Emoji);
        Assert.Equal("emoji-clip", emoji.GetProperty("model").GetString());
        // 16 sample files, a copy of cat.png and the guitar as IMG_4711.png: 18 paths, 17 distinct contents.
        Assert.Equal(18, emoji.GetProperty("paths").GetInt64());
        Assert.Equal(17, emoji.GetProperty("contents").GetInt64());
        Assert.True(emoji.GetProperty("dimensions").GetInt32() > 0);
    }

    [Fact]
    public async Task TextSearchFindsTheMatchingPictureWithEveryPathAndDebugTimings()
    {
        var body = await ApiJson.PostAsync(Client, "/api/search", new { collection = ApiFixture.Emoji, text = "pizza", k = 5, debug = true });

        var first = body.GetProperty("results")[0];
        Assert.Equal("pizza.png", Path.GetFileName(first.GetProperty("path").GetString()));
        Assert.Equal(64, first.GetProperty("id").GetString()!.Length);
        Assert.StartsWith($"/api/assets/{first.GetProperty("id").GetString()}/thumbnail", first.GetProperty("thumbnailUrl").GetString());
        var timings = body.GetProperty("timings");
        Assert.Equal("hnsw", timings.GetProperty("plan").GetString());
        Assert.True(timings.GetProperty("stagesMs").TryGetProperty("encode", out _));
        Assert.True(timings.GetProperty("stagesMs").TryGetProperty("candidates", out _));
        Assert.True(timings.GetProperty("vectorCandidates").GetInt32() >= 5);

        var cat = await ApiJson.PostAsync(Client, "/api/search", new { collection = ApiFixture.Emoji, text = "cat", k = 3, rerank = new { hybrid = false } });
        var paths = cat.GetProperty("results")[0].GetProperty("paths").EnumerateArray().Select(p => Path.GetFileName(p.GetString())).ToList();
        Assert.Equal(["cat copy.png", "cat.png"], paths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AnExactFileNameMatchComesFirstOnlyThroughHybridFusion()
    {
        var vectorOnly = await ApiJson.PostAsync(Client, "/api/search", new { collection = ApiFixture.Emoji, text = "IMG_4711", k = 18, rerank = new { hybrid = false } });
        var fused = await ApiJson.PostAsync(Client, "/api/search", new { collection = ApiFixture.Emoji, text = "IMG_4711", k = 5 });

        Assert.NotEqual("IMG_4711.png", ApiJson.Names(vectorOnly)[0]);
        Assert.Equal("IMG_4711.png", ApiJson.Names(fused)[0]);
        Assert.True(fused.GetProperty("results")[0].GetProperty("exactFileName").GetBoolean());
        // The stem with its extension, and in another case, is the same file name.
        Assert.Equal("IMG_4711.png", ApiJson.Names(await ApiJson.PostAsync(Client, "/api/search", new { collection = ApiFixture.Emoji, text = "img_4711.PNG", k = 5 }))[0]);
    }

    [Fact]
    public async Task AssetDetailsListEveryPathAndTheTextItems()
    {
        var id = await IdOfAsync("cat");

        var asset = await ApiJson.GetAsync(Client, $"/api/assets/{id}");

        Assert.Equal(id, asset.GetProperty("id").GetString());
        Assert.Equal(2, asset.GetProperty("paths").GetArrayLength());
        Assert.Contains(asset.GetProperty("texts").EnumerateArray(), t => t.GetProperty("kind").GetString() == "filename" && t.GetProperty("text").GetString() == "cat");
        Assert.Equal(64, asset.GetProperty("width").GetInt32());
        Assert.Equal("image/png", asset.GetProperty("mediaType").GetString());
        Assert.Equal($"/api/assets/{id}/similar", asset.GetProperty("similarUrl").GetString());
    }

    [Fact]
    public async Task ThumbnailsAreWebpWithAnETagAndImmutableCachingAndAnswer304WhenUnchanged()
    {
        var id = await IdOfAsync("rocket");

        using var response = await Client.GetAsync($"/api/assets/{id}/thumbnail");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/webp", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal($"\"{id}\"", response.Headers.ETag!.Tag);
        Assert.Contains("immutable", response.Headers.CacheControl!.ToString());
        Assert.True(response.Headers.CacheControl.Public);
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/assets/{id}/thumbnail");
        again.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{id}\""));
        using var notModified = await Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task TheOriginalIsServedWithRangesWhileItIsIndexedAtItsPath()
    {
        var id = await IdOfAsync("apple");
        var file = await File.ReadAllBytesAsync(Path.Combine(fixture.PhotoDirectory, "apple.png"));

        var whole = await Client.GetByteArrayAsync($"/api/assets/{id}/original");
        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/api/assets/{id}/original");
        ranged.Headers.Range = new RangeHeaderValue(10, 19);
        using var part = await Client.SendAsync(ranged);

        Assert.Equal(file, whole);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(file[10..20], await part.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", part.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task AnOriginalThatChangedOnDiskIsNoLongerServed()
    {
        var id = await IdOfAsync("owl");
        var path = Path.Combine(fixture.PhotoDirectory, "owl.png");
        var written = File.GetLastWriteTimeUtc(path);
        try
        {
            File.SetLastWriteTimeUtc(path, written.AddMinutes(5));
            await ApiJson.GetAsync(Client, $"/api/assets/{id}/original", HttpStatusCode.NotFound);
        }
        finally
        {
            File.SetLastWriteTimeUtc(path, written);
        }

        using var restored = await Client.GetAsync($"/api/assets/{id}/original");
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
    }

    [Fact]
    public async Task SimilarReturnsOtherContentsNotTheAssetItself()
    {
        var id = await IdOfAsync("car");

        var similar = await ApiJson.GetAsync(Client, $"/api/assets/{id}/similar?k=4");

        Assert.Equal(4, similar.GetProperty("results").GetArrayLength());
        Assert.DoesNotContain(id, ApiJson.Ids(similar));
        var byAsset = await ApiJson.PostAsync(Client, "/api/search", new { collection = ApiFixture.Emoji, assetId = id, k = 4 });
        Assert.Equal(ApiJson.Ids(similar), ApiJson.Ids(byAsset));
    }

    [Fact]
    public async Task AnUploadedImageFindsItselfAsMultipartAndAsARawBody()
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(ApiFixture.SamplesDirectory(), "pizza.png"));
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "query.png" } };

        using var multipart = await Client.PostAsync($"/api/search/image?collection={ApiFixture.Emoji}&k=3", form);
        using var raw = await Client.PostAsync($"/api/search/image?collection={ApiFixture.Emoji}&k=3", new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } });

        var first = await ApiJson.ReadAsync(multipart, HttpStatusCode.OK);
        Assert.Equal("pizza.png", ApiJson.Names(first)[0]);
        Assert.True(first.GetProperty("results")[0].GetProperty("score").GetDouble() > 0.999);
        Assert.Equal("pizza.png", ApiJson.Names(await ApiJson.ReadAsync(raw, HttpStatusCode.OK))[0]);
    }

    [Fact]
    public async Task ImageToTextRanksTheCollectionsTextsForAnAssetAndForAnUpload()
    {
        var id = await IdOfAsync("rocket");

        var forAsset = await ApiJson.PostAsync(Client, "/api/search/texts", new { collection = ApiFixture.Emoji, assetId = id, k = 3 });
        var bytes = await File.ReadAllBytesAsync(Path.Combine(ApiFixture.SamplesDirectory(), "rocket.png"));
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "rocket.png" } };
        using var upload = await Client.PostAsync($"/api/search/texts?collection={ApiFixture.Emoji}&k=3", form);

        Assert.Equal("rocket", forAsset.GetProperty("texts")[0].GetProperty("text").GetString());
        Assert.Equal("rocket", (await ApiJson.ReadAsync(upload, HttpStatusCode.OK)).GetProperty("texts")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task HealthReadinessOpenApiAndTheReferencePageAnswer()
    {
        Assert.Equal("Healthy", (await ApiJson.GetAsync(Client, "/healthz")).GetProperty("status").GetString());
        var ready = await ApiJson.GetAsync(Client, "/readyz");
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("models").GetProperty("status").GetString());
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        var openApi = await ApiJson.GetAsync(Client, "/openapi/v1.json");
        var paths = openApi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/search", paths);
        Assert.Contains("/api/search/image", paths);
        Assert.Contains("/api/assets/{id}/thumbnail", paths);
        using var reference = await Client.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Contains("openapi", await reference.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task EveryResponseCarriesARequestIdAndAClientsIdIsKept()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/collections");
        request.Headers.Add("X-Request-Id", "trace-42");

        using var response = await Client.SendAsync(request);
        var problem = await ApiJson.GetAsync(Client, "/api/assets/" + new string('0', 64), HttpStatusCode.NotFound);

        Assert.Equal("trace-42", response.Headers.GetValues("X-Request-Id").Single());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("requestId").GetString()));
    }

    [Fact]
    public async Task SortingByDateOrdersTheRelevantResultsNewestFirst()
    {
        var body = await ApiJson.PostAsync(Client, "/api/search", new { collection = ApiFixture.Vectors, assetId = IdOfRow(5), k = 30, sort = "takenAt" });

        var dates = body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("takenAt").GetDateTime()).ToList();
        Assert.Equal(30, dates.Count);
        Assert.Equal(dates.OrderByDescending(d => d), dates);
    }

    internal static string IdOfRow(long row) => Convert.ToHexStringLower(ClusteredTestVectors.Hash(row));

    private async Task<string> IdOfAsync(string name)
    {
        var body = await ApiJson.PostAsync(Client, "/api/search", new { collection = ApiFixture.Emoji, text = name, k = 5, rerank = new { hybrid = true } });
        return body.GetProperty("results").EnumerateArray().First(r => Path.GetFileName(r.GetProperty("path").GetString()) == name + ".png").GetProperty("id").GetString()!;
    }
}
