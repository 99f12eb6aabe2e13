using MultiModalSearch.Core.Retrieval;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;
using MultiModalSearch.Models.Resolution;

namespace MultiModalSearch.Tests.Retrieval;

/// <summary>Concurrent text queries share forward passes and get the same embeddings as one at a time; repeats come from the cache.</summary>
public sealed class TextEmbeddingBatcherTests
{
    [Fact]
    public async Task ConcurrentTextsShareForwardPassesAndMatchSingleRuns()
    {
        var model = TruncatedTextTowerTests.BundledModel();
        using var session = ClipSession.Open(model, ComputeOptions.Cpu);
        var texts = Enumerable.Range(0, 32).Select(i => $"a picture of thing number {i}").ToArray();
        var expected = texts.Select(session.EmbedText).ToArray();
        using var encoder = new QueryEncoder(ResolvedModel.At("emoji-clip", model), ClipSession.Open(model, ComputeOptions.Cpu), new EncoderOptions { BatchWindow = TimeSpan.FromMilliseconds(20), CacheEntries = 0 });

        using var start = new ManualResetEventSlim();
        var tasks = texts.Select(t => Task.Run(async () =>
        {
            start.Wait();
            return await encoder.EmbedTextAsync(t);
        })).ToArray();
        start.Set();
        var embedded = await Task.WhenAll(tasks);

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.True(expected[i].Zip(embedded[i], (a, b) => Math.Abs(a - b)).Max() < 1e-5, texts[i]);
        }

        var (passes, count) = encoder.BatchCounts;
        Assert.Equal(32, count);
        Assert.True(passes < 16, $"32 concurrent texts took {passes} forward passes");
    }

    [Fact]
    public async Task ARepeatedTextComesFromTheCacheWithoutAForwardPass()
    {
        var model = TruncatedTextTowerTests.BundledModel();
        using var encoder = new QueryEncoder(ResolvedModel.At("emoji-clip", model), ClipSession.Open(model, ComputeOptions.Cpu), new EncoderOptions());

        var first = await encoder.EmbedTextAsync("a red bicycle");
        var second = await encoder.EmbedTextAsync("a red bicycle");

        Assert.Same(first, second);
        Assert.Equal((1L, 1L), encoder.BatchCounts);
    }
}
