using MultiModalSearch.Models.Generation;

namespace MultiModalSearch.Tests.Generation;

/// <summary>The sampler, stop-sequence matcher and incremental detokenizer on their own.</summary>
public sealed class GenerationPiecesTests
{
    [Fact]
    public void GreedyTakesTheArgmaxWithTiesToTheLowestId()
    {
        var sampler = new TokenSampler(GenerationOptions.Greedy(1));
        Assert.Equal(1, sampler.Next([0f, 3f, 3f, -1f], new HashSet<int>()));
    }

    [Fact]
    public void RepetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfSeenTokens()
    {
        var sampler = new TokenSampler(GenerationOptions.Greedy(1) with { RepetitionPenalty = 2 });
        float[] logits = [4f, 3f, -1f, 2.5f];
        Assert.Equal(1, sampler.Next(logits, new HashSet<int> { 0, 2 }));
        Assert.Equal([2f, 3f, -2f, 2.5f], logits);
    }

    [Fact]
    public void TopKOneAndTinyTopPSampleTheArgmaxWhateverTheSeed()
    {
        float[] logits = [0.1f, 2f, 1.9f, -3f];
        foreach (var seed in Enumerable.Range(0, 20))
        {
            Assert.Equal(1, new TokenSampler(new GenerationOptions { DoSample = true, TopK = 1, Seed = seed }).Next((float[])logits.Clone(), new HashSet<int>()));
            Assert.Equal(1, new TokenSampler(new GenerationOptions { DoSample = true, TopP = 0.01, Seed = seed }).Next((float[])logits.Clone(), new HashSet<int>()));
        }
    }

    [Fact]
    public void SamplingFollowsTheSoftmaxAndTopPCutsTheTail()
    {
        float[] logits = [MathF.Log(0.5f), MathF.Log(0.3f), MathF.Log(0.15f), MathF.Log(0.05f)];
        var counts = new int[4];
        var truncated = new int[4];
        var sampler = new TokenSampler(new GenerationOptions { DoSample = true, Seed = 1 });
        var nucleus = new TokenSampler(new GenerationOptions { DoSample = true, TopP = 0.8, Seed = 1 });
        for (var i = 0; i < 20000; i++)
        {
            counts[sampler.Next((float[])logits.Clone(), new HashSet<int>())]++;
            truncated[nucleus.Next((float[])logits.Clone(), new HashSet<int>())]++;
        }

        Assert.InRange(counts[0] / 20000.0, 0.48, 0.52);
        Assert.InRange(counts[3] / 20000.0, 0.04, 0.06);
        // 0.5 + 0.3 reaches 0.8: only the two most likely tokens remain, renormalised to 0.625 / 0.375.
        Assert.Equal(0, truncated[2] + truncated[3]);
        Assert.InRange(truncated[0] / 20000.0, 0.60, 0.65);
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(1.0, 0.0)]
    [InlineData(1.0, 1.5)]
    public void InvalidSamplingSettingsAreRefusedNamingTheValue(double temperature, double topP)
    {
        var error = Assert.Throws<ArgumentException>(() => new TokenSampler(new GenerationOptions { DoSample = true, Temperature = temperature, TopP = topP }));
        Assert.Contains("got", error.Message);
    }

    [Fact]
    public void StopSequenceMatcherHoldsBackPossibleStartsAndCutsAtTheFirstStop()
    {
        var matcher = new StopSequenceMatcher(["</answer>", "\n\n"]);
        Assert.Equal("The fan", matcher.Push("The fan"));
        Assert.Equal(" ", matcher.Push(" <"));
        Assert.Equal("<b", matcher.Push("b"));
        Assert.Equal(" uses J4.", matcher.Push(" uses J4.\n"));
        Assert.False(matcher.Stopped);
        Assert.Equal("", matcher.Push("\nmore"));
        Assert.True(matcher.Stopped);
        Assert.Equal("", matcher.Flush());
    }

    [Fact]
    public void IncrementalDetokenizerHoldsASplitCharacterUntilItIsWhole()
    {
        // A toy decoder: id 1 -> "a", 240/159/152/128 -> the UTF-8 bytes of U+1F600.
        static string Decode(IReadOnlyList<int> ids)
        {
            var bytes = ids.Select(i => i == 1 ? (byte)'a' : (byte)i).ToArray();
            return System.Text.Encoding.UTF8.GetString(bytes);
        }

        var detokenizer = new IncrementalDetokenizer(Decode);
        Assert.Equal("a", detokenizer.Add(1));
        Assert.Equal("", detokenizer.Add(240));
        Assert.Equal("", detokenizer.Add(159));
        Assert.Equal("", detokenizer.Add(152));
        Assert.Equal("\U0001F600", detokenizer.Add(128));
        Assert.Equal("", detokenizer.Add(240));
        Assert.Equal("\uFFFD", detokenizer.Flush());
    }
}
