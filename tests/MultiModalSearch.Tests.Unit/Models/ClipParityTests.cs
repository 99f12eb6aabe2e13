using MultiModalSearch.Models.Checkpoints;
using MultiModalSearch.Models.Clip;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Tests.Models;

/// <summary>Numerical parity with the reference CLIP on the clip-tiny fixture, for both checkpoint layouts.</summary>
public sealed class ClipParityTests
{
    public static TheoryData<string> Layouts => new() { "model.safetensors", "open_clip_model.safetensors" };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void TextEmbeddingsMatchReference(string weights)
    {
        using var directory = ClipTinyFixture.CopyWith(weights);
        using var model = ClipModelLoader.Load(directory.Path);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var ids = ClipTinyFixture.Expected("text_input_ids");
        ClipTinyFixture.AssertClose(ClipTinyFixture.Expected("text_embeds"), model.GetTextFeatures(ids), "text_embeds");
        ClipTinyFixture.AssertClose(ClipTinyFixture.Expected("text_last_hidden"), model.TextModel.EncodeTokens(ids.narrow(0, 0, 1)), "text_last_hidden");
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void ImageEmbeddingsAndLogitsMatchReference(string weights)
    {
        using var directory = ClipTinyFixture.CopyWith(weights);
        using var model = ClipModelLoader.Load(directory.Path);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var pixels = ClipTinyFixture.Expected("pixel_values");
        var images = model.GetImageFeatures(pixels);
        ClipTinyFixture.AssertClose(ClipTinyFixture.Expected("image_embeds"), images, "image_embeds");
        using var vision = model.VisionModel.call(pixels.narrow(0, 0, 1));
        ClipTinyFixture.AssertClose(ClipTinyFixture.Expected("vision_last_hidden"), vision.LastHiddenState, "vision_last_hidden");
        var texts = model.GetTextFeatures(ClipTinyFixture.Expected("text_input_ids"));
        ClipTinyFixture.AssertClose(ClipTinyFixture.Expected("logits_per_image"), model.LogitsPerImage(images, texts), "logits_per_image");
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void ModelBuiltInBFloat16HoldsTheFloat32WeightsRounded(string weights)
    {
        // The loader builds the model in its compute dtype and converts each stored tensor on the way in, rather than
        // loading float32 and casting the whole model afterwards; the weights must come out the same.
        using var directory = ClipTinyFixture.CopyWith(weights);
        using var reference = ClipModelLoader.Load(directory.Path);
        using var model = ClipModelLoader.Load(directory.Path, new ComputeOptions(torch.CPU, ScalarType.BFloat16));
        var expected = reference.state_dict();
        var actual = model.state_dict();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, value) in actual)
        {
            Assert.Equal(ScalarType.BFloat16, value.dtype);
            using var rounded = expected[key].to(ScalarType.BFloat16);
            Assert.True(rounded.eq(value).all().item<bool>(), key);
        }
    }

    [Fact]
    public void TextEmbeddingsDoNotDependOnPaddingBeyondTheLongestText()
    {
        using var model = ClipModelLoader.Load(ClipTinyFixture.Directory);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var ids = ClipTinyFixture.Expected("text_input_ids").narrow(0, 0, 4); // longest of these has 9 tokens
        var full = model.GetTextFeatures(ids);
        var cut = model.GetTextFeatures(ids.narrow(1, 0, 9));
        ClipTinyFixture.AssertClose(full, cut, "text_embeds");
    }

    [Fact]
    public void ModuleKeysEqualTheHuggingFaceCheckpointKeys()
    {
        using var model = new ClipModel(ClipConfig.Load(Path.Combine(ClipTinyFixture.Directory, "config.json")));
        using var file = SafetensorsFile.Open(Path.Combine(ClipTinyFixture.Directory, "model.safetensors"));
        var moduleKeys = model.state_dict().Keys.ToList();
        Assert.Equal(file.Entries.Keys.Order(StringComparer.Ordinal), moduleKeys.Order(StringComparer.Ordinal));
        Assert.Equal((2 * 2 * 16) + 7 + 4 + 2 + 1, moduleKeys.Count); // blocks, vision embeddings and norms, text embeddings and norm, projections, scale
    }

    [Theory]
    [InlineData(ScalarType.Float16, 2e-3)]
    [InlineData(ScalarType.BFloat16, 2e-2)]
    public void HalfPrecisionStoredWeightsLoadIntoAFloat32Model(ScalarType stored, double tolerance)
    {
        using var directory = ClipTinyFixture.CopyWith();
        using (var reference = ClipModelLoader.Load(ClipTinyFixture.Directory))
        {
            SafetensorsWriter.Write(directory.File("model.safetensors"),
                reference.state_dict().Select(p => KeyValuePair.Create(p.Key, p.Value.to(stored))));
        }

        using var model = ClipModelLoader.Load(directory.Path);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var expected = ClipTinyFixture.Expected("image_embeds");
        var actual = model.GetImageFeatures(ClipTinyFixture.Expected("pixel_values"));
        Assert.True(ClipTinyFixture.MinRowCosine(expected, actual) >= 1 - tolerance);
        Assert.Equal(ScalarType.Float32, actual.dtype);
    }

    [Fact]
    public void ShardedCheckpointLoadsLikeTheSingleFile()
    {
        using var directory = ClipTinyFixture.CopyWith();
        using (var reference = ClipModelLoader.Load(ClipTinyFixture.Directory))
        {
            var parameters = reference.state_dict().ToList();
            var text = parameters.Where(p => p.Key.StartsWith("text_", StringComparison.Ordinal)).ToList();
            var rest = parameters.Except(text).ToList();
            SafetensorsWriter.Write(directory.File("model-00001-of-00002.safetensors"), text);
            SafetensorsWriter.Write(directory.File("model-00002-of-00002.safetensors"), rest);
            var map = text.Select(p => $"\"{p.Key}\": \"model-00001-of-00002.safetensors\"")
                .Concat(rest.Select(p => $"\"{p.Key}\": \"model-00002-of-00002.safetensors\""));
            File.WriteAllText(directory.File("model.safetensors.index.json"), "{\"metadata\": {}, \"weight_map\": {" + string.Join(", ", map) + "}}");
        }

        using var model = ClipModelLoader.Load(directory.Path);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        ClipTinyFixture.AssertClose(ClipTinyFixture.Expected("text_embeds"), model.GetTextFeatures(ClipTinyFixture.Expected("text_input_ids")), "text_embeds");
    }

    [Fact]
    public void CheckpointWithMissingAndUnexpectedTensorsIsRefusedNamingThem()
    {
        using var directory = ClipTinyFixture.CopyWith();
        using (var file = SafetensorsFile.Open(Path.Combine(ClipTinyFixture.Directory, "model.safetensors")))
        {
            var kept = file.Entries.Keys.Where(k => k != "vision_model.post_layernorm.bias").Select(k => KeyValuePair.Create(k == "logit_scale" ? "logit_scael" : k, file.ReadTensor(k))).ToList();
            SafetensorsWriter.Write(directory.File("model.safetensors"), kept);
            kept.ForEach(k => k.Value.Dispose());
        }

        var error = Assert.Throws<CheckpointMismatchException>(() => ClipModelLoader.Load(directory.Path));
        Assert.Contains("vision_model.post_layernorm.bias", error.Message);
        Assert.Contains("1 unexpected (logit_scael)", error.Message);
        Assert.Contains("2 missing", error.Message);
    }

    [Fact]
    public void CheckpointOfAnotherSizeIsRefusedNamingShapes()
    {
        using var directory = new TemporaryDirectory();
        var config = File.ReadAllText(Path.Combine(ClipTinyFixture.Directory, "config.json")).Replace("\"projection_dim\": 32", "\"projection_dim\": 48");
        File.WriteAllText(directory.File("config.json"), config);
        File.CreateSymbolicLink(directory.File("model.safetensors"), Path.Combine(ClipTinyFixture.Directory, "model.safetensors"));
        var error = Assert.Throws<CheckpointMismatchException>(() => ClipModelLoader.Load(directory.Path));
        Assert.Contains("visual_projection.weight: checkpoint", error.Message);
        Assert.Contains("model expects [48, 64]", error.Message);
    }

    [Fact]
    public void LegacyConfigWithEosTokenIdTwoPoolsAtTheArgmaxLikeTheReference()
    {
        // openai/clip-vit-base-patch32's published config.json still says bos 0 / eos 2.
        using var directory = new TemporaryDirectory();
        var config = File.ReadAllText(Path.Combine(ClipTinyFixture.Directory, "config.json"))
            .Replace("\"eos_token_id\": 49407", "\"eos_token_id\": 2").Replace("\"bos_token_id\": 49406", "\"bos_token_id\": 0");
        Assert.Contains("\"eos_token_id\": 2", config);
        File.WriteAllText(directory.File("config.json"), config);
        File.CreateSymbolicLink(directory.File("model.safetensors"), Path.Combine(ClipTinyFixture.Directory, "model.safetensors"));
        using var model = ClipModelLoader.Load(directory.Path);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        ClipTinyFixture.AssertClose(ClipTinyFixture.Expected("text_embeds"), model.GetTextFeatures(ClipTinyFixture.Expected("text_input_ids")), "text_embeds");
    }

    [Fact]
    public void PickleOnlyFolderIsRefusedWithAnExplanation()
    {
        using var directory = ClipTinyFixture.CopyWith();
        File.WriteAllBytes(directory.File("pytorch_model.bin"), [0x80, 0x02]);
        var error = Assert.Throws<FileNotFoundException>(() => ClipModelLoader.Load(directory.Path));
        Assert.Contains("pytorch_model.bin", error.Message);
        Assert.Contains("model.safetensors", error.Message);
    }
}
