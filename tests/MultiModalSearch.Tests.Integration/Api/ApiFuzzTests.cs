using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MultiModalSearch.Tests.Api;

/// <summary>
/// Malformed and hostile requests: every one gets a 4xx with a problem body (or Kestrel's own bare 400 for a request it
/// cannot parse at all), never a 5xx, never a stack trace, never a file named by the request.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ApiFuzzTests(ApiFixture fixture)
{
    private static readonly string[] Leaks = ["   at ", "Exception", "System.", "Npgsql", "root:x:0", "StackTrace"];

    public static TheoryData<string, string, string?> MalformedJson => new()
    {
        { "/api/search", "application/json", "{" },
        { "/api/search", "application/json", "" },
        { "/api/search", "application/json", "null" },
        { "/api/search", "application/json", "[]" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",}" },
        { "/api/search", "application/json", new string('[', 5000) },
        { "/api/search", "application/json", "{\"collection\":5,\"text\":\"cat\"}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":[\"cat\"]}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"k\":\"ten\"}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"k\":1e400}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"k\":99999999999999999999}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"k\":0}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"k\":1001}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"k\":-5}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"offset\":10001}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"offset\":-1}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"k\":2.5}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\"}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"assetId\":\"00\"}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"assetId\":\"../../etc/passwd\"}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"assetId\":\"" + new string('a', 64) + "\"}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"   \"}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"" + new string('x', 2001) + "\"}" },
        { "/api/search", "application/json", "{\"text\":\"cat\"}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"filters\":\"recent\"}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"filters\":{\"takenAfter\":\"yesterday\"}}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"filters\":{\"takenAfter\":\"2020-01-02\",\"takenBefore\":\"2020-01-01\"}}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"filters\":{\"minWidth\":-1}}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"filters\":{\"minWidth\":1e12}}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"filters\":{\"pathPrefix\":\"\"}}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"filter\":{}}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"rerank\":{\"mmr\":2}}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"rerank\":{\"mmr\":\"lots\"}}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"rerank\":{\"collapse\":-1}}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"rerank\":{\"model\":\"nope\"}}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"cutoff\":\"sometimes\"}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"sort\":\"random\"}" },
        { "/api/search", "application/json", "{\"collection\":\"emoji\",\"text\":\"cat\",\"debug\":\"yes\"}" },
        { "/api/search", "text/plain", "collection=emoji&text=cat" },
        { "/api/search", "application/x-www-form-urlencoded", "collection=emoji&text=cat" },
        { "/api/search/texts", "application/json", "{\"collection\":\"emoji\"}" },
        { "/api/search/texts", "application/json", "{\"collection\":\"emoji\",\"assetId\":\"xyz\",\"k\":3}" },
        { "/api/search/texts", "application/json", "{oops" },
        { "/api/search/image?collection=emoji", "image/png", "this is not a png" },
        { "/api/search/image?collection=emoji", "image/png", "" },
        { "/api/search/image?collection=emoji", "image/jpeg", "\u00ff\u00d8\u00ff\u00e0 truncated jpeg" },
        { "/api/search/image?collection=emoji", "text/html", "<html></html>" },
        { "/api/search/image?collection=emoji&k=abc", "image/png", "x" },
        { "/api/search/image?collection=emoji&k=5000", "image/png", "x" },
        { "/api/search/image", "image/png", "x" },
        { "/api/search/image?collection=..%2F..%2Fetc", "image/png", "x" },
        { "/api/search/image?collection=emoji", "multipart/form-data; boundary=XYZ", "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\u0089PNG\r\n" },
        { "/api/search/image?collection=emoji", "multipart/form-data; boundary=XYZ", "--XYZ\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nvalue\r\n--XYZ--\r\n" },
        { "/api/search/image?collection=emoji", "multipart/form-data", "--XYZ\r\n" },
        { "/api/search/image?collection=emoji", "multipart/form-data; boundary=XYZ", "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../../etc/passwd\"\r\n\r\nroot:x:0:0\r\n--XYZ--\r\n" },
    };

    public static TheoryData<string, string> MalformedGets => new()
    {
        { "GET", "/api/assets/not-an-id" },
        { "GET", "/api/assets/" + new string('g', 64) },
        { "GET", "/api/assets/..%2F..%2F..%2Fetc%2Fpasswd/original" },
        { "GET", "/api/assets/%2e%2e/original" },
        { "GET", "/api/assets/../../../../etc/passwd" },
        { "GET", "/api/assets/" + new string('0', 64) + "/original" },
        { "GET", "/api/assets/" + new string('0', 64) + "/thumbnail?token=%00%FF" },
        { "GET", "/api/assets/" + new string('0', 64) + "/similar?k=-1" },
        { "GET", "/api/assets/" + new string('0', 64) + "/similar?k=1e9" },
        { "GET", "/api/assets/" + new string('0', 64) + "?collection=%FF%FE" },
        { "GET", "/api/search" },
        { "DELETE", "/api/collections" },
        { "PUT", "/api/search" },
        { "GET", "/api/../../etc/passwd" },
        { "GET", "/nothing-here" },
        { "PUT", "/api/assets/" + new string('0', 64) + "/caption" },
    };

    [Theory]
    [MemberData(nameof(MalformedJson))]
    public async Task MalformedBodiesGetA4xxProblem(string path, string contentType, string? body)
    {
        using var content = new ByteArrayContent(Encoding.Latin1.GetBytes(body ?? ""));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await fixture.Api.Client.PostAsync(path, content);

        await AssertClientErrorAsync(response, $"POST {path} {Shorten(body)}");
    }

    [Theory]
    [MemberData(nameof(MalformedGets))]
    public async Task MalformedPathsAndQueriesGetA4xx(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await fixture.Api.Client.SendAsync(request);

        await AssertClientErrorAsync(response, $"{method} {path}");
    }

    [Fact]
    public async Task InvalidUtf8InJsonIsA400()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"collection\":\"emoji\",\"text\":\"ca\"}").ToList();
        bytes.InsertRange(bytes.Count - 3, [0xC3, 0x28, 0xFF, 0xFE]);
        using var content = new ByteArrayContent(bytes.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");

        using var response = await fixture.Api.Client.PostAsync("/api/search", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertClientErrorAsync(response, "invalid UTF-8");
    }

    [Fact]
    public async Task EscapedNulsAndLikeWildcardsInTextsAreSearchedNotFailed()
    {
        foreach (var text in new[] { "cat\\u0000dog", "IMG_\\u0000.png", "%_\\\\", "\\u0000" })
        {
            using var content = new StringContent($"{{\"collection\":\"emoji\",\"text\":\"{text}\",\"filters\":{{\"pathPrefix\":\"/\\u0000\",\"camera\":\"\\u0000%\"}}}}", Encoding.UTF8, "application/json");
            using var response = await fixture.Api.Client.PostAsync("/api/search", content);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{text}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task LoneSurrogatesAreRefusedAsInvalidText()
    {
        foreach (var body in new[] { "{\"collection\":\"emoji\",\"text\":\"\\ud800 cat\"}", "{\"collection\":\"emoji\",\"text\":\"cat\",\"filters\":{\"camera\":\"\\udfff\"}}" })
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await fixture.Api.Client.PostAsync("/api/search", content);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            await AssertClientErrorAsync(response, body);
        }
    }

    [Fact]
    public async Task RequestsKestrelCannotParseAreRefusedWithoutA5xx()
    {
        foreach (var raw in new[]
        {
            "GET /api/collections\u00ff\u00fe HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999\r\n\r\n",
            "GET /api/collections HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n",
            "BREW /api/collections HTCPCP/1.0\r\n\r\n",
        })
        {
            var status = await RawStatusAsync(Encoding.Latin1.GetBytes(raw));
            Assert.True(status is >= 400 and < 500, $"{Shorten(raw)} -> {status}");
        }
    }

    [Fact]
    public async Task AnUploadLargerThanTheLimitIsA413BeforeItIsRead()
    {
        var status = await RawStatusAsync(Encoding.ASCII.GetBytes(
            "POST /api/search/image?collection=emoji HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 1073741824\r\n\r\n" + new string('x', 1000)));
        var multipart = await RawStatusAsync(Encoding.ASCII.GetBytes(
            "POST /api/search/image?collection=emoji HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: 1073741824\r\n\r\n--B\r\n"));
        var json = await RawStatusAsync(Encoding.ASCII.GetBytes(
            "POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{"));

        Assert.Equal(413, status);
        Assert.Equal(413, multipart);
        Assert.Equal(413, json);
    }

    [Fact]
    public async Task AThousandRandomMutationsOfValidRequestsNeverGiveA5xx()
    {
        var random = new Random(1234);
        string[] seeds =
        [
            "{\"collection\":\"emoji\",\"text\":\"cat\",\"k\":5,\"offset\":1,\"filters\":{\"takenAfter\":\"2020-01-01\",\"pathPrefix\":\"/\",\"camera\":\"Canon\",\"mediaType\":\"image\",\"minWidth\":10},\"rerank\":{\"hybrid\":true,\"mmr\":0.5,\"collapse\":true},\"cutoff\":\"auto\",\"sort\":\"takenAt\",\"debug\":true}",
            "{\"collection\":\"vectors\",\"assetId\":\"" + ApiEndpointTests.IdOfRow(3) + "\",\"k\":10,\"rerank\":{\"mmr\":true}}",
        ];
        var failures = new List<string>();
        for (var i = 0; i < 1000; i++)
        {
            var body = Mutate(seeds[i % seeds.Length], random);
            using var content = new ByteArrayContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            using var response = await fixture.Api.Client.PostAsync("/api/search", content);
            var text = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500 || Leaks.Any(l => text.Contains(l, StringComparison.Ordinal)))
            {
                failures.Add($"{(int)response.StatusCode} for {Encoding.Latin1.GetString(body)}: {Shorten(text)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(10)));
    }

    private const string Punctuation = "{}[]\",:0123456789-e.tfn\\ ";

    private static byte[] Mutate(string seed, Random random)
    {
        var bytes = Encoding.UTF8.GetBytes(seed).ToList();
        for (var edits = random.Next(1, 4); edits > 0 && bytes.Count > 0; edits--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes.RemoveAt(at);
                    break;
                case 1:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 2:
                    bytes[at] = (byte)Punctuation[random.Next(Punctuation.Length)];
                    break;
                case 3:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(random.Next(3) switch { 0 => "99999999999999999999", 1 => "\\u0000", _ => "-1" }));
                    break;
                default:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 20)));
                    break;
            }
        }

        return bytes.ToArray();
    }

    private async Task<int> RawStatusAsync(byte[] request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(fixture.Api.Address.Host, fixture.Api.Address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(request);
        using var reader = new StreamReader(stream, Encoding.Latin1);
        var statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? "";
        var rest = new StringBuilder();
        try
        {
            // Headers and whatever body came: nothing of it may be a stack trace.
            var buffer = new char[4096];
            tcp.ReceiveTimeout = 2000;
            var read = await reader.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            rest.Append(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            // The server closed the connection after answering, as it should.
        }

        Assert.DoesNotContain("   at ", rest.ToString(), StringComparison.Ordinal);
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task AssertClientErrorAsync(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{what}: {status} {Shorten(text)}");
        Assert.False(Leaks.Any(l => text.Contains(l, StringComparison.Ordinal)), $"{what}: leaks internals: {Shorten(text)}");
        if (text.Length > 0)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 200 ? text : text[..200] + "...";
}
