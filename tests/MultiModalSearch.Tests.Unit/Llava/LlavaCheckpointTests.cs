using System.Text.Json;
using System.Text.Json.Nodes;
using MultiModalSearch.Models.Checkpoints;
using MultiModalSearch.Models.Llama;
using MultiModalSearch.Models.Llava;
using MultiModalSearch.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Tests.Llava;

/// <summary>Loading LLaVA checkpoints: key names, layouts, shards, tied heads, sparse configs, and clear refusals.</summary>
public sealed class LlavaCheckpointTests
{
    private static LlavaConfig FixtureConfig => LlavaConfig.Load(Path.Combine(LlavaTinyFixture.Directory, "config.json"));

    [Fact]
    public void ModuleKeysEqualTheLegacyCheckpointKeys()
    {
        using var model = new LlavaForConditionalGeneration(FixtureConfig);
        using var file = SafetensorsFile.Open(LlavaTinyFixture.ModelPath);
        var moduleKeys = model.state_dict().Keys.ToList();
        Assert.Equal(file.Entries.Keys.Order(StringComparer.Ordinal), moduleKeys.Order(StringComparer.Ordinal));
        // Vision: 16 per layer x 3 + embeddings 3 + two norms 4; projector 4; text: 9 per layer x 2 + embed, norm, head.
        Assert.Equal((16 * 3) + 3 + 4 + 4 + (9 * 2) + 3, moduleKeys.Count);
        Assert.All(moduleKeys, k => Assert.True(k.StartsWith("vision_tower.vision_model.", StringComparison.Ordinal)
            || k.StartsWith("multi_modal_projector.", StringComparison.Ordinal) || k.StartsWith("language_model.", StringComparison.Ordinal), k));
    }

    [Fact]
    public void NewerLayoutKeysMapOntoEveryModuleKey()
    {
        using var model = new LlavaForConditionalGeneration(FixtureConfig);
        var newer = model.state_dict().Keys.Select(LlavaCheckpoint.ToNewerLayout).ToList();
        Assert.Contains("model.language_model.layers.0.self_attn.q_proj.weight", newer);
        Assert.Contains("lm_head.weight", newer);
        Assert.Contains("model.vision_tower.vision_model.pre_layrnorm.weight", newer);
        var map = LlavaCheckpoint.ChooseKeyMap(newer, tiedEmbeddings: false);
        Assert.Equal(model.state_dict().Keys.Order(StringComparer.Ordinal), newer.Select(k => map.Map(k).Single().Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ShardedCheckpointWithBuffersLoadsLikeTheSingleFile()
    {
        using var directory = LlavaTinyFixture.CopyWith();
        using (var file = SafetensorsFile.Open(LlavaTinyFixture.ModelPath))
        {
            var all = file.Entries.Keys.Select(k => KeyValuePair.Create(k, file.ReadTensor(k))).ToList();
            // Older exports carry non-weight buffers; they are ignored, not refused.
            all.Add(KeyValuePair.Create("vision_tower.vision_model.embeddings.position_ids", torch.arange(50).unsqueeze(0)));
            all.Add(KeyValuePair.Create("language_model.model.layers.0.self_attn.rotary_emb.inv_freq", torch.ones(8)));
            var first = all.Where(p => p.Key.StartsWith("language_model.", StringComparison.Ordinal)).ToList();
            var second = all.Except(first).ToList();
            SafetensorsWriter.Write(directory.File("model-00001-of-00002.safetensors"), first);
            SafetensorsWriter.Write(directory.File("model-00002-of-00002.safetensors"), second);
            var map = new JsonObject();
            first.ForEach(p => map[p.Key] = "model-00001-of-00002.safetensors");
            second.ForEach(p => map[p.Key] = "model-00002-of-00002.safetensors");
            File.WriteAllText(directory.File("model.safetensors.index.json"), new JsonObject { ["metadata"] = new JsonObject(), ["weight_map"] = map }.ToJsonString());
            all.ForEach(p => p.Value.Dispose());
        }

        using var model = LlavaModelLoader.Load(directory.Path);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var ids = LlavaTinyFixture.Expected("prompt2.input_ids").unsqueeze(0);
        LlavaTinyFixture.AssertClose(LlavaTinyFixture.Expected("prompt2.last_logits"), model.LanguageModel.LastLogits(model.EmbedInputs(ids, null), null)[0],
            LlavaTinyFixture.LogitsTolerance, "prompt2.last_logits");
    }

    [Fact]
    public void TiedEmbeddingsNeedNoHeadAndProjectWithTheEmbeddingTable()
    {
        using var directory = new TemporaryDirectory();
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(LlavaTinyFixture.Directory, "config.json")))!;
        config["text_config"]!["tie_word_embeddings"] = true;
        File.WriteAllText(directory.File("config.json"), config.ToJsonString());
        LlavaCheckpointLayouts.WriteRenamed(directory.File("model.safetensors"), k => k == "language_model.lm_head.weight" ? null : k);

        using var model = LlavaModelLoader.Load(directory.Path);
        Assert.DoesNotContain("language_model.lm_head.weight", model.state_dict().Keys);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var embeds = model.EmbedInputs(LlavaTinyFixture.Expected("prompt2.input_ids").unsqueeze(0), null);
        var hidden = model.LanguageModel.Model.call(embeds, null)[0, -1];
        var expected = model.LanguageModel.Model.EmbeddingWeight.matmul(hidden);
        LlavaTinyFixture.AssertClose(expected, model.LanguageModel.LastLogits(embeds, null)[0], 1e-5, "tied logits");
    }

    [Fact]
    public void SparseLlavaHfConfigTakesTheTransformersClassDefaults()
    {
        // llava-hf/llava-1.5-7b-hf's config.json, as published: most sizes are left to the class defaults.
        const string published = """
            {"architectures": ["LlavaForConditionalGeneration"], "ignore_index": -100, "image_token_index": 32000,
             "model_type": "llava", "pad_token_id": 32001, "projector_hidden_act": "gelu",
             "text_config": {"_name_or_path": "lmsys/vicuna-7b-v1.5", "architectures": ["LlamaForCausalLM"],
               "max_position_embeddings": 4096, "model_type": "llama", "rms_norm_eps": 1e-05, "torch_dtype": "float16", "vocab_size": 32064},
             "tie_word_embeddings": false, "torch_dtype": "float16", "vision_config": {"hidden_size": 1024, "image_size": 336,
               "intermediate_size": 4096, "model_type": "clip_vision_model", "num_attention_heads": 16, "num_hidden_layers": 24,
               "patch_size": 14, "projection_dim": 768, "vocab_size": 32000},
             "vision_feature_layer": -2, "vision_feature_select_strategy": "default", "vocab_size": 32064}
            """;
        using var json = JsonDocument.Parse(published);
        var config = LlavaConfig.FromJson(json.RootElement);
        Assert.Equal((4096, 11008, 32, 32, 32, 128), (config.Text.HiddenSize, config.Text.IntermediateSize, config.Text.NumHiddenLayers,
            config.Text.NumAttentionHeads, config.Text.NumKeyValueHeads, config.Text.HeadDim));
        Assert.Equal((10000.0, 1e-5, 32064, false), (config.Text.RopeTheta, config.Text.RmsNormEps, config.Text.VocabSize, config.Text.TieWordEmbeddings));
        Assert.Equal(("quick_gelu", 1e-5, 24, 1024), (config.Vision.HiddenAct, config.Vision.LayerNormEps, config.Vision.NumHiddenLayers, config.Vision.HiddenSize));
        Assert.Equal(576, config.ImageSequenceLength);
        Assert.Equal([-2], config.VisionFeatureLayers);
        Assert.Equal(1024, config.ProjectorInputSize);
    }

    [Fact]
    public void FullStrategyKeepsTheClassTokenAndSeveralLayersConcatenate()
    {
        var config = FixtureConfig with { VisionFeatureSelectStrategy = "full", VisionFeatureLayers = [-2, -1] };
        Assert.Equal(50, config.ImageSequenceLength);
        Assert.Equal(128, config.ProjectorInputSize);
        using var model = new LlavaForConditionalGeneration(config);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var pixels = LlavaTinyFixture.Pixels(0);
        var selected = model.SelectImageFeatures(pixels);
        Assert.Equal([1L, 50, 128], selected.shape);
        LlavaTinyFixture.AssertClose(model.VisionTower.HiddenState(pixels, 2), selected.narrow(2, 0, 64), 0, "layer -2 with CLS");
        LlavaTinyFixture.AssertClose(model.VisionTower.HiddenState(pixels, 3), selected.narrow(2, 64, 64), 0, "layer -1 with CLS");
        Assert.Equal([1L, 50, 64], model.GetImageFeatures(pixels).shape);
    }

    [Fact]
    public void CheckpointOfAnotherSizeIsRefusedNamingShapes()
    {
        using var directory = new TemporaryDirectory();
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(LlavaTinyFixture.Directory, "config.json")))!;
        config["text_config"]!["intermediate_size"] = 200;
        File.WriteAllText(directory.File("config.json"), config.ToJsonString());
        File.CreateSymbolicLink(directory.File("model.safetensors"), LlavaTinyFixture.ModelPath);
        var error = Assert.Throws<CheckpointMismatchException>(() => LlavaModelLoader.Load(directory.Path));
        Assert.Contains("language_model.model.layers.0.mlp.gate_proj.weight: checkpoint", error.Message);
        Assert.Contains("model expects [200, 64]", error.Message);
    }

    [Fact]
    public void MissingAndUnexpectedTensorsAreRefusedNamingThem()
    {
        using var directory = LlavaTinyFixture.CopyWith();
        LlavaCheckpointLayouts.WriteRenamed(directory.File("model.safetensors"), k =>
            k == "multi_modal_projector.linear_2.bias" ? null : k == "language_model.model.norm.weight" ? "language_model.model.final_norm.weight" : k);
        var error = Assert.Throws<CheckpointMismatchException>(() => LlavaModelLoader.Load(directory.Path));
        Assert.Contains("2 missing (", error.Message);
        Assert.Contains("multi_modal_projector.linear_2.bias", error.Message);
        Assert.Contains("1 unexpected (language_model.model.final_norm.weight)", error.Message);
    }

    [Fact]
    public void MissingFilesAndForeignConfigsAreRefusedClearly()
    {
        using var noWeights = LlavaTinyFixture.CopyWith();
        var weights = Assert.Throws<FileNotFoundException>(() => LlavaModelLoader.Load(noWeights.Path));
        Assert.Contains("no weights in", weights.Message);

        using var noConfig = new TemporaryDirectory();
        Assert.Throws<FileNotFoundException>(() => LlavaModelLoader.Load(noConfig.Path));

        using var clip = new TemporaryDirectory();
        File.WriteAllText(clip.File("config.json"), """{"model_type": "clip"}""");
        var foreign = Assert.Throws<InvalidDataException>(() => LlavaModelLoader.Load(clip.Path));
        Assert.Contains("model_type is 'clip', not 'llava'", foreign.Message);

        using var gqa = new TemporaryDirectory();
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(LlavaTinyFixture.Directory, "config.json")))!;
        config["text_config"]!["num_key_value_heads"] = 3;
        File.WriteAllText(gqa.File("config.json"), config.ToJsonString());
        var heads = Assert.Throws<InvalidDataException>(() => LlavaModelLoader.Load(gqa.Path));
        Assert.Contains("num_attention_heads must be a multiple of num_key_value_heads (got 4 and 3)", heads.Message);

        using var processorless = LlavaTinyFixture.CopyWith("model.safetensors", "tokenizer.model", "tokenizer_config.json");
        var processor = Assert.Throws<FileNotFoundException>(() => LlavaSession.Open(processorless.Path, MultiModalSearch.Models.Compute.ComputeOptions.Cpu));
        Assert.Contains("preprocessor_config.json", processor.Message);
    }

    [Fact]
    public void RotaryScalingOtherThanLinearIsRefused()
    {
        using var json = JsonDocument.Parse("""{"rope_scaling": {"rope_type": "llama3", "factor": 8.0}}""");
        var error = Assert.Throws<InvalidDataException>(() => LlamaConfig.FromJson(json.RootElement));
        Assert.Contains("rope_scaling type 'llama3' is not supported", error.Message);
    }
}
