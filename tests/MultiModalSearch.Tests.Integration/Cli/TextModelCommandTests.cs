using System.Text.Json;
using MultiModalSearch.Models.Bert;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Support;
using TorchSharp;

namespace MultiModalSearch.Tests.Cli;

/// <summary>The tokenize, embed and rerank contract for BERT and Chinese-CLIP models, through the real tool.</summary>
public sealed class TextModelCommandTests
{
    private static readonly TextModelFixture Bert = TextModelFixture.BertTiny;
    private static readonly TextModelFixture Chinese = TextModelFixture.ChineseClipTiny;

    [Theory]
    [InlineData("bert-tiny")]
    [InlineData("chinese-clip-tiny")]
    public async Task TokenizePrintsTheReferenceIdsTruncatedAsTheModelTruncates(string name)
    {
        var fixture = name == "bert-tiny" ? Bert : Chinese;
        var texts = fixture.Texts();

        var (code, stdout, stderr) = await CliProcess.RunAsync(["tokenize", "--model", fixture.Directory, .. texts.SelectMany(t => new[] { "--text", t })]);

        Assert.True(code == 0, stderr);
        var lines = Lines(stdout);
        Assert.Equal(fixture.TokenIds(), lines.Select(l => JsonSerializer.Deserialize<int[]>(l)!));
    }

    [Fact]
    public async Task EmbedWithASentenceEmbedderPrintsItsPooledNormalisedEmbeddings()
    {
        var texts = Bert.Texts();

        var (code, stdout, stderr) = await CliProcess.RunAsync(["embed", "--model", Bert.Directory, .. texts.SelectMany(t => new[] { "--text", t })]);

        Assert.True(code == 0, stderr);
        var rows = Lines(stdout).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(texts, rows.Select(r => r.GetProperty("input").GetString()));
        Assert.All(rows, r => Assert.Equal("text", r.GetProperty("kind").GetString()));
        using var actual = torch.tensor(rows.SelectMany(Embedding).ToArray(), [rows.Count, 32]);
        Bert.AssertClose(Bert.Expected("sentence_embeddings"), actual, "sentence_embeddings");
    }

    [Fact]
    public async Task EmbedWithChineseClipPrintsNormalisedTextAndImageEmbeddings()
    {
        var texts = Chinese.Texts().Take(3).ToList();
        var images = Chinese.ImagePaths();
        string[] args = ["embed", "--model", Chinese.Directory, "--text", texts[0], "--image", images[3], "--text", texts[1], "--image", images[2], "--text", texts[2]];

        var (code, stdout, stderr) = await CliProcess.RunAsync(args);

        Assert.True(code == 0, stderr);
        var rows = Lines(stdout).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        using var textEmbeds = torch.nn.functional.normalize(Chinese.Expected("text_embeds"), dim: 1);
        using var imageEmbeds = torch.nn.functional.normalize(Chinese.Expected("image_embeds"), dim: 1);
        (int Row, torch.Tensor Expected, double MinCosine)[] checks =
            [(0, textEmbeds[0], 0.9999), (1, imageEmbeds[3], 0.99), (2, textEmbeds[1], 0.9999), (3, imageEmbeds[2], 0.99), (4, textEmbeds[2], 0.9999)];
        foreach (var (row, expected, minCosine) in checks)
        {
            var actual = Embedding(rows[row]).ToArray();
            var cosine = actual.Zip(expected.data<float>().ToArray(), (a, b) => (double)a * b).Sum();
            Assert.True(cosine >= minCosine, $"{rows[row].GetProperty("input").GetString()}: cosine {cosine}");
        }
    }

    [Fact]
    public async Task RerankPrintsOneRawScorePerPassageInInputOrder()
    {
        var pairs = Bert.Pairs();
        string[] passages = [pairs[1].Passage, pairs[0].Passage, ""];

        var (code, stdout, stderr) = await CliProcess.RunAsync(
            ["rerank", "--model", Bert.RerankerDirectory, "--query", pairs[0].Query, .. passages.SelectMany(p => new[] { "--passage", p })]);

        Assert.True(code == 0, stderr);
        var rows = Lines(stdout).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(passages, rows.Select(r => r.GetProperty("passage").GetString()));
        Assert.All(rows, r => Assert.Equal(["passage", "score"], r.EnumerateObject().Select(p => p.Name)));
        using var reference = Bert.Expected("pair_logits");
        Assert.Equal(reference[0, 0].item<float>(), rows[1].GetProperty("score").GetSingle(), 1e-4f);
        using var reranker = CrossEncoderReranker.Open(Bert.RerankerDirectory);
        var inProcess = reranker.Score(pairs[0].Query, passages);
        Assert.Equal(inProcess, rows.Select(r => r.GetProperty("score").GetSingle()), (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public async Task RerankTruncatesALongPairLongestFirstAsTheReference()
    {
        var pair = Bert.Pairs()[4];

        var (code, stdout, stderr) = await CliProcess.RunAsync(["rerank", "--model", Bert.RerankerDirectory, "--query", pair.Query, "--passage", pair.Passage]);

        Assert.True(code == 0, stderr);
        using var reference = Bert.Expected("pair_logits");
        var score = JsonDocument.Parse(Lines(stdout).Single()).RootElement.GetProperty("score").GetSingle();
        Assert.Equal(reference[4, 0].item<float>(), score, 1e-4f);
    }

    [Theory]
    [InlineData("rerank", "is a sentence embedder (BERT), not a cross-encoder reranker")]
    [InlineData("embed-image", "embeds texts only")]
    public async Task WrongKindOfModelIsOneClearLine(string what, string expected)
    {
        string[] args = what == "rerank"
            ? ["rerank", "--model", Bert.Directory, "--query", "q", "--passage", "p"]
            : ["embed", "--model", Bert.Directory, "--text", "t", "--image", Chinese.ImagePaths()[0]];

        var (code, stdout, stderr) = await CliProcess.RunAsync(args);

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    private static string[] Lines(string stdout) => stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static IEnumerable<float> Embedding(JsonElement row) => row.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle());
}
