using MultiModalSearch.Models.Llava;
using MultiModalSearch.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Tests.Llava;

/// <summary>Numerical parity with the reference LLaVA-1.5 (transformers semantics) on the llava-tiny fixture.</summary>
public sealed class LlavaParityTests
{
    [Fact]
    public void VisionHiddenStatesAndImageFeaturesMatchReference()
    {
        using var model = LlavaModelLoader.Load(LlavaTinyFixture.Directory);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var pixels = LlavaTinyFixture.Expected("pixel_values");
        var image0 = pixels.narrow(0, 0, 1);
        LlavaTinyFixture.AssertClose(LlavaTinyFixture.Expected("vision.pre_layrnorm_output.image0"), model.VisionTower.HiddenState(image0, 0)[0], LlavaTinyFixture.HiddenTolerance, "hidden_states[0]");
        LlavaTinyFixture.AssertClose(LlavaTinyFixture.Expected("vision.encoder_layer0_output.image0"), model.VisionTower.HiddenState(image0, 1)[0], LlavaTinyFixture.HiddenTolerance, "hidden_states[1]");
        LlavaTinyFixture.AssertClose(LlavaTinyFixture.Expected("vision.selected_features"), model.SelectImageFeatures(pixels), LlavaTinyFixture.HiddenTolerance, "selected_features");
        LlavaTinyFixture.AssertClose(LlavaTinyFixture.Expected("image_features"), model.GetImageFeatures(pixels), LlavaTinyFixture.HiddenTolerance, "image_features");
    }

    [Fact]
    public void DecoderInputsHiddenStatesAndLastLogitsMatchReference()
    {
        using var model = LlavaModelLoader.Load(LlavaTinyFixture.Directory);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        foreach (var prompt in LlavaTinyFixture.Prompts())
        {
            var ids = LlavaTinyFixture.Expected($"{prompt.Name}.input_ids").unsqueeze(0);
            var features = prompt.ImageIndex is { } image ? model.GetImageFeatures(LlavaTinyFixture.Pixels(image)) : null;
            var embeds = model.EmbedInputs(ids, features);
            if (prompt.Name == "prompt0")
            {
                LlavaTinyFixture.AssertClose(LlavaTinyFixture.Expected("text.inputs_embeds.prompt0"), embeds[0], LlavaTinyFixture.HiddenTolerance, "inputs_embeds");
                var states = model.LanguageModel.Model.HiddenStates(embeds);
                LlavaTinyFixture.AssertClose(LlavaTinyFixture.Expected("text.decoder_layer0_output.prompt0"), states[1][0], LlavaTinyFixture.HiddenTolerance, "decoder_layer0_output");
            }

            var logits = model.LanguageModel.LastLogits(embeds, null);
            LlavaTinyFixture.AssertClose(LlavaTinyFixture.Expected($"{prompt.Name}.last_logits"), logits[0], LlavaTinyFixture.LogitsTolerance, $"{prompt.Name}.last_logits");
        }
    }
}
