using Microsoft.Extensions.AI;
using MultiModalSearch.Abstractions.Errors;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Generation;
using MultiModalSearch.Models.Llava;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Llava;

/// <summary>The generation loop on the llava-tiny model: cache, sampling, streaming, stopping.</summary>
public sealed class LlavaGenerationTests
{
    private static readonly GenerationOptions Sampling = new() { MaxNewTokens = 10, DoSample = true, Temperature = 1.3, TopP = 0.95, TopK = 500, Seed = 7, StopTokenIds = [] };

    [Fact]
    public void KvCachePathEqualsAFullRecomputeEveryStep()
    {
        using var model = LlavaModelLoader.Load(LlavaTinyFixture.Directory);
        foreach (var prompt in LlavaTinyFixture.Prompts())
        {
            // Sampled rather than greedy, so that the comparison also covers tokens the fixture never chose.
            foreach (var options in new[] { GenerationOptions.Greedy(12), Sampling })
            {
                var cached = LlavaGenerationRuns.Run(model, prompt, options, useCache: true);
                var recomputed = LlavaGenerationRuns.Run(model, prompt, options, useCache: false);
                Assert.Equal(recomputed.Select(t => t.Id), cached.Select(t => t.Id));
                for (var i = 0; i < cached.Count; i++)
                {
                    Assert.True(Math.Abs(cached[i].Logit - recomputed[i].Logit) <= 1e-4, $"{prompt.Name} step {i}: {cached[i].Logit} vs {recomputed[i].Logit}");
                }
            }
        }
    }

    [Fact]
    public void BFloat16DecodingStepThroughTheRowKernelAgreesWithLibtorch()
    {
        // A decoding step in bf16 on the CPU runs its linear layers through SingleRowLinear's kernel (no gradients);
        // with gradients on, the same step runs libtorch's. The two must give the same distribution.
        using var model = LlavaModelLoader.Load(LlavaTinyFixture.Directory, new ComputeOptions(TorchSharp.torch.CPU, TorchSharp.torch.ScalarType.BFloat16));
        var prompt = LlavaTinyFixture.Prompt("prompt0");
        float[] Step(bool kernel)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            using var mode = kernel ? TorchSharp.torch.inference_mode() : TorchSharp.torch.enable_grad();
            using var cache = new MultiModalSearch.Models.Llama.LlamaKvCache(model.Config.Text, 80);
            var ids = LlavaTinyFixture.Expected("prompt0.input_ids").unsqueeze(0);
            var embeds = model.EmbedInputs(ids, model.GetImageFeatures(LlavaTinyFixture.Pixels(prompt.ImageIndex!.Value)));
            model.LanguageModel.LastLogits(embeds, cache);
            var next = model.LanguageModel.Model.EmbedTokens(TorchSharp.torch.tensor(new long[] { prompt.GreedyIds[0] }, [1, 1]));
            return model.LanguageModel.LastLogits(next, cache)[0].detach().to(TorchSharp.torch.ScalarType.Float32).data<float>().ToArray();
        }

        var kernel = Step(kernel: true);
        var libtorch = Step(kernel: false);
        var dot = kernel.Zip(libtorch, (a, b) => (double)a * b).Sum();
        var cosine = dot / Math.Sqrt(kernel.Sum(a => (double)a * a) * libtorch.Sum(b => (double)b * b));
        Assert.True(cosine > 0.9999, $"cosine {cosine}");
        Assert.Equal(TokenSampler.ArgMax(libtorch), TokenSampler.ArgMax(kernel));
    }

    [Fact]
    public void SeededSamplingIsReproducibleAndTheSeedMatters()
    {
        using var model = LlavaModelLoader.Load(LlavaTinyFixture.Directory);
        var prompt = LlavaTinyFixture.Prompt("prompt1");
        var first = LlavaGenerationRuns.Run(model, prompt, Sampling, useCache: true).Select(t => t.Id).ToList();
        var again = LlavaGenerationRuns.Run(model, prompt, Sampling, useCache: true).Select(t => t.Id).ToList();
        var otherSeeds = Enumerable.Range(100, 3).Select(seed =>
            LlavaGenerationRuns.Run(model, prompt, Sampling with { Seed = seed }, useCache: true).Select(t => t.Id).ToList()).ToList();
        Assert.Equal(first, again);
        Assert.Contains(otherSeeds, ids => !ids.SequenceEqual(first));
        Assert.NotEqual(prompt.GreedyIds.Take(10), first);
    }

    [Fact]
    public async Task StreamingYieldsTheSameTokensAndTextAsTheFinishedResult()
    {
        using var session = LlavaSession.Open(LlavaTinyFixture.Directory, ComputeOptions.Cpu);
        var prompt = LlavaTinyFixture.Prompt("prompt0");
        List<LlavaImage> images = [LlavaImage.FromFile(LlavaTinyFixture.ImagePaths()[0])];
        foreach (var options in new[] { GenerationOptions.Greedy(12), Sampling })
        {
            var finished = session.GenerateToEnd(prompt.Text, images, options);
            var updates = new List<GenerationUpdate>();
            await foreach (var update in session.GenerateStreamingAsync(prompt.Text, images, options))
            {
                updates.Add(update);
            }

            Assert.Equal(finished.GeneratedIds, updates.Where(u => u.TokenId is not null).Select(u => u.TokenId!.Value));
            Assert.Equal(finished.Text, string.Concat(updates.Select(u => u.Text)));
            Assert.True(updates.Count(u => u.Text.Length > 0) > 5, "text should arrive token by token, not at the end");
            Assert.Equal(GenerationFinishReason.Length, updates[^1].FinishReason);
        }
    }

    [Fact]
    public void GenerationStopsAtTheEndOfTheModelsContextAndAPromptThatFillsItIsRefused()
    {
        using var session = LlavaSession.Open(LlavaTinyFixture.Directory, ComputeOptions.Cpu);
        var prompt = LlavaTinyFixture.Prompt("prompt0");
        List<LlavaImage> images = [LlavaImage.FromFile(LlavaTinyFixture.ImagePaths()[0])];
        var room = session.ContextLength - session.Processor.EncodePrompt(prompt.Text, images.Count).Length;

        var capped = session.GenerateToEnd(prompt.Text, images, GenerationOptions.Greedy(room + 100) with { StopTokenIds = [] });
        var tooLong = Assert.Throws<InvalidSettingException>(() => { session.GenerateToEnd(prompt.Text + string.Join(' ', Enumerable.Range(0, session.ContextLength)), images, GenerationOptions.Greedy(1)); });

        Assert.Equal(room, capped.GeneratedIds.Count);
        Assert.Equal(GenerationFinishReason.Length, capped.FinishReason);
        Assert.Equal("prompt", tooLong.Setting);
    }

    [Fact]
    public void StopSequenceEndsGenerationAndIsLeftOutOfTheText()
    {
        using var session = LlavaSession.Open(LlavaTinyFixture.Directory, ComputeOptions.Cpu);
        var prompt = LlavaTinyFixture.Prompt("prompt2");
        // greedy text: "expectingThat sites wsz thé performances([ disputér Kal arts farther"
        var result = session.GenerateToEnd(prompt.Text, [], GenerationOptions.Greedy(12) with { StopSequences = ["performances(", "arts"] });
        Assert.Equal("expectingThat sites wsz thé ", result.Text);
        Assert.Equal(GenerationFinishReason.StopSequence, result.FinishReason);
        // "performances(" is complete only once "([" (the seventh token) has arrived.
        Assert.Equal(prompt.GreedyIds.Take(7), result.GeneratedIds);
    }

    [Fact]
    public void EndOfSequenceIdEndsGenerationAndIsKeptInTheIdsButNotTheText()
    {
        using var session = LlavaSession.Open(LlavaTinyFixture.Directory, ComputeOptions.Cpu);
        var prompt = LlavaTinyFixture.Prompt("prompt2");
        // Treat the fourth greedy token as the end of sequence. It is not a special token, so (as in transformers'
        // decode with skip_special_tokens) its text stays; the real </s> is special and leaves no text.
        var result = session.GenerateToEnd(prompt.Text, [], GenerationOptions.Greedy(12) with { StopTokenIds = [prompt.GreedyIds[3]] });
        Assert.Equal(prompt.GreedyIds.Take(4), result.GeneratedIds);
        Assert.Equal(GenerationFinishReason.EndOfSequence, result.FinishReason);
        Assert.Equal("expectingThat sites wsz", result.Text);
        Assert.Equal("expectingThat sites wsz", session.Tokenizer.Decode([.. result.GeneratedIds, 2]));
        Assert.Equal([2], session.EndOfSequenceIds);
    }

    [Fact]
    public void RepetitionPenaltyReachesThePromptsTokensInTheModelLoop()
    {
        // The fixture's greedy tokens never repeat the prompt, so a penalty above 1 cannot change them; one below 1
        // (a reward) shows that the loop feeds the prompt's and the output's tokens to the penalty.
        using var model = LlavaModelLoader.Load(LlavaTinyFixture.Directory);
        var prompt = LlavaTinyFixture.Prompt("prompt0");
        var penalised = LlavaGenerationRuns.Run(model, prompt, GenerationOptions.Greedy(12) with { RepetitionPenalty = 50 }, useCache: true);
        var rewarded = LlavaGenerationRuns.Run(model, prompt, GenerationOptions.Greedy(12) with { RepetitionPenalty = 0.02 }, useCache: true);
        Assert.Equal(prompt.GreedyIds, penalised.Select(t => t.Id));
        Assert.All(rewarded, t => Assert.Contains(t.Id, prompt.InputIds));
    }

    [Fact]
    public void MismatchedImagesAndPlaceholdersAreRefusedBeforeAnyModelWork()
    {
        using var session = LlavaSession.Open(LlavaTinyFixture.Directory, ComputeOptions.Cpu);
        var error = Assert.Throws<ArgumentException>(() => session.GenerateToEnd("USER: <image>\nHi ASSISTANT:", [], GenerationOptions.Greedy(2)));
        Assert.Contains("1 <image> placeholder(s) but 0 image(s)", error.Message);
        var missing = Assert.Throws<FileNotFoundException>(() => LlavaImage.FromFile("/nonexistent/figure.png"));
        Assert.Contains("/nonexistent/figure.png", missing.Message);
        var corrupt = new LlavaImage(new byte[] { 1, 2, 3, 4 }, "broken.png");
        Assert.Throws<MultiModalSearch.Imaging.ImageDecodeException>(() => session.GenerateToEnd("USER: <image>\nHi ASSISTANT:", [corrupt], GenerationOptions.Greedy(2)));
    }
}
