using System.Net;
using System.Text.Json;
using MultiModalSearch.Testing;
using NetVips;

namespace MultiModalSearch.Tests.Api;

/// <summary>
/// The document endpoints over real HTTP, on documents ingested by the real tool (<see cref="DocumentServiceFixture"/>):
/// <c>POST /api/retrieve</c> runs every stage and returns passages and figures with working crop and page URLs, the page image
/// draws a hit's box on request, a private collection's documents do not exist without its key, and bad requests get
/// a 4xx with problem details.
/// </summary>
public sealed class DocumentEndpointTests(DocumentServiceFixture fixture) : IClassFixture<DocumentServiceFixture>
{
    private const string Public = DocumentServiceFixture.Public;
    private const string Private = DocumentServiceFixture.Private;

    private HttpClient Anonymous => fixture.Api.Client;

    private static async Task<JsonElement> RetrieveAsync(HttpClient client, string collection, HttpStatusCode expected = HttpStatusCode.OK) =>
        await ApiJson.PostAsync(client, "/api/retrieve", new { collection, question = "a drawing of three boxes", k = 5 }, expected);

    private static async Task<Image> WebpAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("image/webp", response.Content.Headers.ContentType!.MediaType);
        return Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task RetrieveReturnsTheFigureWithItsBoxAndWorkingCropAndPageUrls()
    {
        var found = await RetrieveAsync(Anonymous, Public);

        Assert.False(found.GetProperty("belowFloor").GetBoolean());
        Assert.Equal(["full-text", "embedder", "figures", "reranker"], found.GetProperty("stagesRun").EnumerateArray().Select(s => s.GetString()));
        var figure = found.GetProperty("hits").EnumerateArray().First(h => h.GetProperty("kind").GetString() == "figure");
        Assert.Contains("Figure 1: A drawing of three boxes", figure.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, figure.GetProperty("page").GetInt32());
        var box = figure.GetProperty("box").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var drawing = TestPdfs.DrawingBox;
        // The box covers the drawing (points, top-left origin), give or take the caption merged below it.
        Assert.InRange(box[0], drawing.Left - 10, drawing.Left + 1);
        Assert.InRange(box[1], drawing.Top - 10, drawing.Top + 1);
        Assert.InRange(box[2], drawing.Right - 1, drawing.Right + 60);
        Assert.InRange(box[3], drawing.Bottom - 1, drawing.Bottom + 40);

        using var crop = await WebpAsync(Anonymous, figure.GetProperty("cropUrl").GetString()!);
        var pageUrl = figure.GetProperty("pageUrl").GetString()!;
        Assert.Contains("&box=", pageUrl, StringComparison.Ordinal);
        using var framed = await WebpAsync(Anonymous, pageUrl);
        using var plain = await WebpAsync(Anonymous, pageUrl[..pageUrl.IndexOf("&box=", StringComparison.Ordinal)]);

        // A 150 dpi render of the region (plus margin) and of the whole Letter page (612 x 792 points).
        Assert.InRange(crop.Width, (box[2] - box[0]) * 150 / 72 * 0.9, (box[2] - box[0] + 20) * 150 / 72 * 1.1);
        Assert.Equal((plain.Width, plain.Height), (framed.Width, framed.Height));
        Assert.InRange(plain.Width / (double)plain.Height, 612 / 792.0 - 0.01, 612 / 792.0 + 0.01);
        // The box is drawn in red where the plain page is white: on its left edge, halfway down (100 dpi).
        var (x, y) = ((int)Math.Floor(box[0] * 100 / 72), (int)((box[1] + box[3]) / 2 * 100 / 72));
        var red = framed.Getpoint(x, y);
        var white = plain.Getpoint(x, y);
        Assert.True(red[0] > 150 && red[1] < 100 && red[2] < 100, $"no red frame at ({x}, {y}): {string.Join(",", red)}");
        Assert.True(white.All(v => v > 200), $"the plain page is not white at ({x}, {y}): {string.Join(",", white)}");
    }

    [Fact]
    public async Task APrivateCollectionsDocumentsDoNotExistWithoutItsKey()
    {
        using var reader = fixture.Api.ClientWithKey(fixture.ReadKey);
        var found = await RetrieveAsync(reader, Private);
        var figure = found.GetProperty("hits").EnumerateArray().First(h => h.GetProperty("kind").GetString() == "figure");
        var cropUrl = figure.GetProperty("cropUrl").GetString()!;
        var pageUrl = figure.GetProperty("pageUrl").GetString()!;

        var refused = await RetrieveAsync(Anonymous, Private, HttpStatusCode.NotFound);
        var missing = await RetrieveAsync(Anonymous, "no-such-collection", HttpStatusCode.NotFound);
        await ApiJson.GetAsync(Anonymous, cropUrl, HttpStatusCode.NotFound);
        await ApiJson.GetAsync(Anonymous, pageUrl, HttpStatusCode.NotFound);

        // The same answer as for a collection that does not exist: the name cannot be probed.
        Assert.Equal(missing.GetProperty("detail").GetString()!.Replace("no-such-collection", "X", StringComparison.Ordinal),
            refused.GetProperty("detail").GetString()!.Replace(Private, "X", StringComparison.Ordinal));
        using var crop = await WebpAsync(reader, cropUrl);
        using var page = await WebpAsync(reader, pageUrl);
        Assert.True(crop.Width > 0 && page.Width > crop.Width);
        // A figure of one collection is not reachable by naming another (public) one.
        var figureId = figure.GetProperty("id").GetInt64();
        var publicFigure = (await RetrieveAsync(Anonymous, Public)).GetProperty("hits").EnumerateArray().First(h => h.GetProperty("kind").GetString() == "figure");
        Assert.NotEqual(figureId, publicFigure.GetProperty("id").GetInt64());
        await ApiJson.GetAsync(Anonymous, $"/api/documents/figures/{figureId}/crop?collection={Public}", HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/api/documents/1/pages/1", HttpStatusCode.BadRequest, "collection")]
    [InlineData("/api/documents/1/pages/1?collection=manuals&box=1,2,3", HttpStatusCode.BadRequest, "box")]
    [InlineData("/api/documents/1/pages/1?collection=manuals&box=10,10,5,20", HttpStatusCode.BadRequest, "box")]
    [InlineData("/api/documents/1/pages/1?collection=manuals&box=NaN,1,2,3", HttpStatusCode.BadRequest, "box")]
    [InlineData("/api/documents/1/pages/0?collection=manuals", HttpStatusCode.NotFound, "page")]
    [InlineData("/api/documents/1/pages/99?collection=manuals", HttpStatusCode.NotFound, "page")]
    [InlineData("/api/documents/987654/pages/1?collection=manuals", HttpStatusCode.NotFound, "document")]
    [InlineData("/api/documents/figures/987654/crop?collection=manuals", HttpStatusCode.NotFound, "figure")]
    public async Task BadPageAndCropRequestsGetAClear4xx(string url, HttpStatusCode expected, string named)
    {
        var problem = await ApiJson.GetAsync(Anonymous, url, expected);

        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("""{"collection": "manuals", "question": ""}""", "question")]
    [InlineData("""{"collection": "manuals", "question": "boxes", "k": 0}""", "k")]
    [InlineData("""{"collection": "manuals", "question": "boxes", "k": 1000}""", "k")]
    [InlineData("""{"question": "boxes"}""", "collection")]
    [InlineData("""{"collection": "manuals", "question": 12}""", "question")]
    [InlineData("""{"collection": "manuals", "question": "boxes" """, "")]
    public async Task BadRetrieveRequestsGetA400(string body, string named)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await Anonymous.PostAsync("/api/retrieve", content);

        var problem = await ApiJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(named, problem.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
