using MultiModalSearch.Models.Generation;
using MultiModalSearch.Models.Llama;
using MultiModalSearch.Models.Llava;
using static TorchSharp.torch;

namespace MultiModalSearch.Testing;

/// <summary>Runs the decoder loop on a fixture prompt from its stored ids and pixel values (no tokenizer or image decoding).</summary>
public static class LlavaGenerationRuns
{
    public static List<GeneratedToken> Run(LlavaForConditionalGeneration model, FixturePrompt prompt, GenerationOptions options, bool useCache)
    {
        using var pixels = prompt.ImageIndex is { } image ? LlavaTinyFixture.Pixels(image) : null;
        Tensor Embed()
        {
            using var scope = NewDisposeScope();
            using var ids = tensor(LlavaTinyFixture.ToLongs(prompt.InputIds), [1, prompt.InputIds.Length]);
            var features = pixels is null ? null : model.GetImageFeatures(pixels);
            return model.EmbedInputs(ids, features).MoveToOuterDisposeScope();
        }

        return LlamaGenerator.Generate(model.LanguageModel, Embed, prompt.InputIds, options, [], useCache).ToList();
    }

    /// <summary>The fixture's greedy protocol: 12 steps, no end-of-sequence stop.</summary>
    public static List<GeneratedToken> Greedy(LlavaForConditionalGeneration model, FixturePrompt prompt, bool useCache) =>
        Run(model, prompt, GenerationOptions.Greedy(12), useCache);
}
