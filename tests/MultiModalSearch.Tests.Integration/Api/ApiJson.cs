using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MultiModalSearch.Tests.Api;

/// <summary>Small helpers for reading the service's JSON answers in tests.</summary>
internal static class ApiJson
{
    public static async Task<JsonElement> PostAsync(HttpClient client, string path, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        return await ReadAsync(response, expected);
    }

    public static async Task<JsonElement> GetAsync(HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(path);
        return await ReadAsync(response, expected);
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} instead of {(int)expected}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static List<string> Names(JsonElement search) =>
        search.GetProperty("results").EnumerateArray().Select(r => Path.GetFileName(r.GetProperty("path").GetString()!)).ToList();

    public static List<string> Ids(JsonElement search) =>
        search.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
}
