using MultiModalSearch.Models.ChineseClip;
using MultiModalSearch.Models.Checkpoints;
using MultiModalSearch.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Tests.Models;

/// <summary>Numerical parity with transformers' ChineseCLIPModel and ChineseCLIPImageProcessor on the chinese-clip-tiny fixture.</summary>
public sealed class ChineseClipParityTests
{
    private static readonly TextModelFixture Fixture = TextModelFixture.ChineseClipTiny;

    [Fact]
    public void TextEmbeddingsAndHiddenStatesMatchReference()
    {
        using var model = ChineseClipModelLoader.Load(Fixture.Directory);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var (ids, mask, types) = (Fixture.Expected("input_ids"), Fixture.Expected("attention_mask"), Fixture.Expected("token_type_ids"));

        Fixture.AssertClose(Fixture.Expected("text_embeds"), model.GetTextFeatures(ids, mask, types), "text_embeds");
        Fixture.AssertClose(Fixture.Expected("text_last_hidden"), model.TextModel.call(ids, mask, types), "text_last_hidden", mask);
    }

    [Fact]
    public void ImageEmbeddingsAndLogitsMatchReference()
    {
        using var model = ChineseClipModelLoader.Load(Fixture.Directory);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var pixels = Fixture.Expected("pixel_values");
        var images = model.GetImageFeatures(pixels);
        Fixture.AssertClose(Fixture.Expected("image_embeds"), images, "image_embeds");
        using var vision = model.VisionModel.call(pixels);
        Fixture.AssertClose(Fixture.Expected("vision_last_hidden"), vision.LastHiddenState, "vision_last_hidden");
        var texts = model.GetTextFeatures(Fixture.Expected("input_ids"), Fixture.Expected("attention_mask"), Fixture.Expected("token_type_ids"));
        Fixture.AssertClose(Fixture.Expected("logits_per_image"), model.LogitsPerImage(images, texts), "logits_per_image");
    }

    [Fact]
    public void ModelKeysAreExactlyTheCheckpointKeys()
    {
        using var model = ChineseClipModelLoader.Load(Fixture.Directory);
        using var file = SafetensorsFile.Open(Path.Combine(Fixture.Directory, "model.safetensors"));

        Assert.Equal(file.Entries.Keys.Order(StringComparer.Ordinal), model.state_dict().Keys.Order(StringComparer.Ordinal));
    }
}
