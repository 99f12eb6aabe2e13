using System.Text.Json;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Storage;
using MultiModalSearch.Tests.Support;

namespace MultiModalSearch.Tests.Indexing;

/// <summary>A collection built with Chinese-CLIP by the real tool and searched in Chinese, against the reference's ranking.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ChineseClipSearchEndToEndTests(PostgresFixture fixture) : IDisposable
{
    private static readonly TextModelFixture Chinese = TextModelFixture.ChineseClipTiny;
    private readonly TemporaryDirectory archive = new();

    [Fact]
    public async Task IndexedWithChineseClipAndSearchedInChineseRanksAsTheReference()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        foreach (var image in Chinese.ImagePaths())
            File.Copy(image, Path.Combine(archive.Path, Path.GetFileName(image)));

        var (code, stdout, stderr) = await CliProcess.RunAsync(
            ["index", archive.Path, "--collection", "photos-zh", "--model", Chinese.Directory, "--db", connectionString, "--json", "--workers", "1"]);
        Assert.True(code == 0, $"index exited with {code}\n{stdout}\n{stderr}");

        // "海边奔跑的小狗" (a puppy running by the sea) is fixture text 1: the reference's logits_per_image column 1 ranks the images.
        // Its logits divided by exp(logit_scale) = 1/0.07 are the cosines search reports.
        var hits = await SearchAsync(connectionString, Chinese.Texts()[1]);
        using var logits = Chinese.Expected("logits_per_image");
        var names = Chinese.ImagePaths().Select(Path.GetFileName).ToArray();
        var cosines = Enumerable.Range(0, 6).ToDictionary(i => names[i]!, i => logits[i, 1].item<float>() * 0.07);
        Assert.Equal(cosines.OrderByDescending(c => c.Value).Select(c => c.Key), hits.Select(h => h.Name));
        // Within what decoding the files (cosine >= 0.99 to the reference's pixels) and halfvec storage allow.
        Assert.All(hits, h => Assert.True(Math.Abs(h.Score - cosines[h.Name]) < 0.01, $"{h.Name}: {h.Score} vs {cosines[h.Name]}"));

        // The query the issue names works the same way (the random weights make its ranking arbitrary, not its length).
        Assert.Equal(6, (await SearchAsync(connectionString, "海边的狗")).Count);
    }

    [Fact]
    public async Task ACollectionOfChineseClipRefusesAnotherModel()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        File.Copy(Chinese.ImagePaths()[0], Path.Combine(archive.Path, "one.png"));
        var first = await CliProcess.RunAsync(["index", archive.Path, "--collection", "mixed", "--model", Chinese.Directory, "--db", connectionString, "--workers", "1"]);
        Assert.True(first.ExitCode == 0, first.Stderr);

        var (code, _, stderr) = await CliProcess.RunAsync(["index", archive.Path, "--collection", "mixed", "--model", ClipTinyFixture.Directory, "--db", connectionString, "--workers", "1"]);

        Assert.NotEqual(0, code);
        Assert.Contains("chinese-clip-tiny", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => archive.Dispose();

    private static async Task<List<(string Name, double Score)>> SearchAsync(string connectionString, string text)
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(["search", "--collection", "photos-zh", "--text", text, "--db", connectionString, "--json", "-k", "10"]);
        Assert.True(code == 0, $"search exited with {code}\n{stdout}\n{stderr}");
        using var hits = JsonDocument.Parse(stdout);
        return hits.RootElement.EnumerateArray()
            .Select(h => (Path.GetFileName(h.GetProperty("path").GetString()!), h.GetProperty("score").GetDouble()))
            .ToList();
    }
}
