using System.Net;
using System.Net.Http.Json;
using MultiModalSearch.Core.Access;

namespace MultiModalSearch.Tests.Api;

/// <summary>
/// The access rules over HTTP: a private collection does not exist without a key that reads it (404, absent from the
/// listing), a wrong key is 401 everywhere, a read-only key on a write is 403, and a search made with a key returns
/// signed URLs that a browser can load without it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ApiAccessTests(ApiFixture fixture)
{
    private HttpClient Anonymous => fixture.Api.Client;

    [Fact]
    public async Task APrivateCollectionDoesNotExistWithoutAKey()
    {
        var listed = await ApiJson.GetAsync(Anonymous, "/api/collections");
        var search = await ApiJson.PostAsync(Anonymous, "/api/search", new { collection = ApiFixture.Secret, text = "snowman" }, HttpStatusCode.NotFound);
        var missing = await ApiJson.PostAsync(Anonymous, "/api/search", new { collection = "no-such-collection", text = "snowman" }, HttpStatusCode.NotFound);

        Assert.DoesNotContain(listed.GetProperty("collections").EnumerateArray(), c => c.GetProperty("name").GetString() == ApiFixture.Secret);
        Assert.Contains(listed.GetProperty("collections").EnumerateArray(), c => c.GetProperty("name").GetString() == ApiFixture.Emoji);
        // The same answer as for a collection that does not exist: the name cannot be probed.
        Assert.Equal(missing.GetProperty("detail").GetString()!.Replace("no-such-collection", "X"), search.GetProperty("detail").GetString()!.Replace(ApiFixture.Secret, "X"));
    }

    [Fact]
    public async Task AReadKeyOpensItsCollectionAndItsSignedUrlsWorkWithoutTheKey()
    {
        using var reader = fixture.Api.ClientWithKey(fixture.ReadKey);

        var listed = await ApiJson.GetAsync(reader, "/api/collections");
        var found = await ApiJson.PostAsync(reader, "/api/search", new { collection = ApiFixture.Secret, text = "snowman", k = 1 });
        var first = found.GetProperty("results")[0];
        var id = first.GetProperty("id").GetString()!;
        var thumbnailUrl = first.GetProperty("thumbnailUrl").GetString()!;

        Assert.Contains(listed.GetProperty("collections").EnumerateArray(), c => c.GetProperty("name").GetString() == ApiFixture.Secret);
        Assert.Equal("snowman.png", Path.GetFileName(first.GetProperty("path").GetString()));
        Assert.Contains("?token=", thumbnailUrl, StringComparison.Ordinal);
        using var signed = await Anonymous.GetAsync(thumbnailUrl);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.True(signed.Headers.CacheControl!.Private);
        await ApiJson.GetAsync(Anonymous, $"/api/assets/{id}/thumbnail", HttpStatusCode.NotFound);
        await ApiJson.GetAsync(Anonymous, $"/api/assets/{id}/thumbnail?token=AAAAAAAAAAAAAAAAAAAAAA", HttpStatusCode.NotFound);
        await ApiJson.GetAsync(Anonymous, $"/api/assets/{id}", HttpStatusCode.NotFound);
        await ApiJson.GetAsync(reader, $"/api/assets/{id}");
    }

    [Fact]
    public async Task AWrongKeyIsRefusedWith401EvenOnPublicCollections()
    {
        using var wrong = fixture.Api.ClientWithKey("mms_this-is-not-a-key");
        using var malformed = new HttpRequestMessage(HttpMethod.Get, "/api/collections");
        malformed.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");

        using var listing = await wrong.GetAsync("/api/collections");
        using var search = await wrong.PostAsJsonAsync("/api/search", new { collection = ApiFixture.Emoji, text = "cat" });
        using var basic = await Anonymous.SendAsync(malformed);

        Assert.Equal(HttpStatusCode.Unauthorized, listing.StatusCode);
        Assert.Equal("Bearer", listing.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, search.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, basic.StatusCode);
        Assert.Equal("application/problem+json", listing.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task WritesNeedAWriteKeyOfThatCollection()
    {
        using var reader = fixture.Api.ClientWithKey(fixture.ReadKey);
        using var writer = fixture.Api.ClientWithKey(fixture.WriteKey);
        var id = (await ApiJson.PostAsync(reader, "/api/search", new { collection = ApiFixture.Secret, text = "octopus", k = 1 })).GetProperty("results")[0].GetProperty("id").GetString()!;
        var caption = new { collection = ApiFixture.Secret, text = "a purple sea creature with eight arms" };

        using var anonymous = await Anonymous.PutAsJsonAsync($"/api/assets/{id}/caption", caption);
        using var readOnly = await reader.PutAsJsonAsync($"/api/assets/{id}/caption", caption);
        using var onPublic = await writer.PutAsJsonAsync($"/api/assets/{id}/caption", caption with { collection = ApiFixture.Emoji });
        using var written = await writer.PutAsJsonAsync($"/api/assets/{id}/caption", caption);

        Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, readOnly.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, onPublic.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, written.StatusCode);
        var details = await ApiJson.GetAsync(reader, $"/api/assets/{id}");
        Assert.Contains(details.GetProperty("texts").EnumerateArray(), t => t.GetProperty("kind").GetString() == "caption" && t.GetProperty("text").GetString() == caption.text);
        // The caption is searchable at once: its words find the content through hybrid fusion.
        var byWords = await ApiJson.PostAsync(reader, "/api/search", new { collection = ApiFixture.Secret, text = "eight arms", k = 1 });
        Assert.Equal(id, ApiJson.Ids(byWords)[0]);
    }

    [Fact]
    public async Task AnonymousWritesToAPublicCollectionAskForAKey()
    {
        var id = ApiJson.Ids(await ApiJson.PostAsync(Anonymous, "/api/search", new { collection = ApiFixture.Emoji, text = "sunny", k = 1 }))[0];

        using var response = await Anonymous.PutAsJsonAsync($"/api/assets/{id}/caption", new { collection = ApiFixture.Emoji, text = "sun" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task ARevokedKeyStopsWorkingAtOnce()
    {
        var keys = new ApiKeys(fixture.Storage.Access);
        var created = await keys.CreateAsync(ApiFixture.Secret, Abstractions.Access.ApiKeyAccess.Read);
        using var client = fixture.Api.ClientWithKey(created.Secret);
        await ApiJson.GetAsync(client, "/api/collections");

        await keys.RevokeAsync(created.Id);

        await ApiJson.GetAsync(client, "/api/collections", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TheRateLimiterAnswers429WithRetryAfterPerClient()
    {
        await using var limited = await ApiServer.StartAsync(fixture.DatabaseUrl, new Dictionary<string, string?>
        {
            ["Service:RateLimit:PermitsPerSecond"] = "1",
            ["Service:RateLimit:Burst"] = "3",
        });
        using var keyed = limited.ClientWithKey(fixture.ReadKey);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await limited.Client.GetAsync("/api/collections");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After missing");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            }
        }

        using var otherPartition = await keyed.GetAsync("/api/collections");
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Equal(HttpStatusCode.OK, otherPartition.StatusCode);
    }
}
