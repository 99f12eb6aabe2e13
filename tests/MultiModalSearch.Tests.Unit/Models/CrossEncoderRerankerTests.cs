using MultiModalSearch.Models.Bert;
using MultiModalSearch.Models.Resolution;
using MultiModalSearch.Testing;
using TorchSharp;

namespace MultiModalSearch.Tests.Models;

/// <summary>The reranker end to end from (query, passage) texts against the bert-tiny fixture's pair logits.</summary>
public sealed class CrossEncoderRerankerTests
{
    private static readonly TextModelFixture Fixture = TextModelFixture.BertTiny;

    [Fact]
    public void PairScoresFromTextsAreTheReferenceLogitsInInputOrder()
    {
        using var reranker = CrossEncoderReranker.Open(Fixture.RerankerDirectory);
        var pairs = Fixture.Pairs();

        var scores = reranker.ScorePairs(pairs, batchSize: 2);

        using var actual = torch.tensor(scores, [scores.Length, 1]);
        Fixture.AssertClose(Fixture.Expected("pair_logits"), actual, "pair_logits");
    }

    [Fact]
    public void ScoreKeepsThePassagesOrder()
    {
        using var reranker = CrossEncoderReranker.Open(Fixture.RerankerDirectory);
        var pairs = Fixture.Pairs();
        string[] passages = [pairs[1].Passage, "", pairs[0].Passage];

        var scores = reranker.Score(pairs[0].Query, passages);
        var one = passages.Select(p => reranker.Score(pairs[0].Query, [p])[0]).ToArray();

        Assert.Equal(one, scores, (a, b) => Math.Abs(a - b) < 1e-5);
        Assert.Equal(3, scores.Distinct().Count());
    }

    [Fact]
    public void ClassifierWithSeveralLabelsIsNotAReranker()
    {
        using var folder = new TemporaryDirectory();
        foreach (var file in Directory.GetFiles(Fixture.RerankerDirectory))
            File.CreateSymbolicLink(folder.File(Path.GetFileName(file)), file);
        File.Delete(folder.File("config.json"));
        File.WriteAllText(folder.File("config.json"), File.ReadAllText(Path.Combine(Fixture.RerankerDirectory, "config.json"))
            .Replace("\"0\": \"LABEL_0\"", "\"0\": \"LABEL_0\", \"1\": \"LABEL_1\"", StringComparison.Ordinal));

        var error = Assert.Throws<UnsupportedModelException>(() => CrossEncoderReranker.Open(folder.Path));
        Assert.Contains("classifies into 2 labels", error.Message, StringComparison.Ordinal);
    }
}
