using MultiModalSearch.Models.Bert;
using MultiModalSearch.Models.Inference;
using MultiModalSearch.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Tests.Models;

/// <summary>The sentence-transformers pipeline end to end from texts, in both pooling modes, against the bert-tiny fixture.</summary>
public sealed class SentenceEmbedderTests
{
    private static readonly TextModelFixture Fixture = TextModelFixture.BertTiny;

    [Fact]
    public void ClsPooledNormalisedEmbeddingsFromTextsMatchReference()
    {
        using var embedder = SentenceEmbedder.Open(Fixture.Directory);

        Assert.Equal((SentencePooling.Cls, true, 64), (embedder.Settings.Pooling, embedder.Settings.Normalize, embedder.Tokenizer.MaxLength));
        // Batches of 5 regroup the texts by length, so padding and the attention mask differ from the reference's batch.
        var embeddings = embedder.EmbedTexts(Fixture.Texts(), batchSize: 5);
        AssertRowsClose(Fixture.Expected("sentence_embeddings"), embeddings, "sentence_embeddings");
    }

    [Fact]
    public void MeanPooledEmbeddingsFromTextsMatchReference()
    {
        using var folder = Variant(poolingConfig: """{"word_embedding_dimension": 32, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true}""",
            normalize: false);
        using var embedder = SentenceEmbedder.Open(folder.Path);

        Assert.Equal((SentencePooling.Mean, false), (embedder.Settings.Pooling, embedder.Settings.Normalize));
        AssertRowsClose(Fixture.Expected("mean_embeddings"), embedder.EmbedTexts(Fixture.Texts(), batchSize: 4), "mean_embeddings");
    }

    [Fact]
    public void MeanPoolingWithNormalizeGivesUnitVectorsAlongTheReference()
    {
        using var folder = Variant(poolingConfig: """{"pooling_mode": "mean"}""", normalize: true);
        using var embedder = SentenceEmbedder.Open(folder.Path);
        using var expected = nn.functional.normalize(Fixture.Expected("mean_embeddings"), dim: -1);

        var embeddings = embedder.EmbedTexts(Fixture.Texts());
        using var actual = torch.tensor(embeddings.SelectMany(e => e).ToArray(), [embeddings.Length, 32]);
        Assert.True(ClipTinyFixture.MinRowCosine(expected, actual) > 0.99999);
        Assert.All(embeddings, e => Assert.Equal(1.0, Math.Sqrt(e.Sum(v => (double)v * v)), 5));
    }

    [Fact]
    public void BareBertWithoutModulesJsonIsMeanPooledAndNotNormalised()
    {
        using var folder = new TemporaryDirectory();
        foreach (var name in new[] { "config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json", "sentence_bert_config.json" })
            File.CreateSymbolicLink(folder.File(name), Path.Combine(Fixture.Directory, name));
        using var embedder = SentenceEmbedder.Open(folder.Path);

        Assert.Equal((SentencePooling.Mean, false), (embedder.Settings.Pooling, embedder.Settings.Normalize));
        AssertRowsClose(Fixture.Expected("mean_embeddings"), embedder.EmbedTexts(Fixture.Texts()), "mean_embeddings");
    }

    [Fact]
    public void OpensThroughEmbeddingModelsAsATextOnlyModel()
    {
        using var model = EmbeddingModels.Open(Fixture.Directory, MultiModalSearch.Models.Compute.ComputeOptions.Cpu);

        Assert.False(model.EmbedsImages);
        Assert.Equal(32, model.Dimension);
        var error = Assert.Throws<NotSupportedException>(() => model.CreateImagePipeline(new PipelineOptions()));
        Assert.Contains("embeds texts only", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"pooling_mode_cls_token": true, "pooling_mode_mean_tokens": true}""", "only one of pooling_mode_cls_token or pooling_mode_mean_tokens")]
    [InlineData("""{"pooling_mode_max_tokens": true}""", "only one of pooling_mode_cls_token or pooling_mode_mean_tokens")]
    [InlineData("""{"pooling_mode": "weightedmean"}""", "pooling_mode 'weightedmean' is not supported")]
    public void UnsupportedPoolingIsRefusedNamingIt(string poolingConfig, string expected)
    {
        using var folder = Variant(poolingConfig, normalize: true);
        var error = Assert.Throws<InvalidDataException>(() => SentenceEmbedder.Open(folder.Path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DenseModuleIsRefusedRatherThanSkipped()
    {
        using var folder = Variant("""{"pooling_mode_cls_token": true}""", normalize: false,
            extraModule: """{"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"}""");
        var error = Assert.Throws<InvalidDataException>(() => SentenceEmbedder.Open(folder.Path));
        Assert.Contains("module 'sentence_transformers.models.Dense' is not supported", error.Message, StringComparison.Ordinal);
    }

    private static void AssertRowsClose(Tensor expected, float[][] rows, string name)
    {
        using var actual = torch.tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);
        Fixture.AssertClose(expected, actual, name);
    }

    // The fixture's folder with its own pooling settings and module list; the weights and tokenizer are shared.
    private static TemporaryDirectory Variant(string poolingConfig, bool normalize, string? extraModule = null)
    {
        var folder = new TemporaryDirectory();
        foreach (var name in new[] { "config.json", "model.safetensors", "vocab.txt", "tokenizer.json", "tokenizer_config.json", "sentence_bert_config.json" })
            File.CreateSymbolicLink(folder.File(name), Path.Combine(Fixture.Directory, name));
        Directory.CreateDirectory(folder.File("1_Pooling"));
        File.WriteAllText(Path.Combine(folder.Path, "1_Pooling", "config.json"), poolingConfig);
        var modules = new List<string>
        {
            """{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"}""",
            """{"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}""",
        };
        if (extraModule is not null)
            modules.Add(extraModule);
        if (normalize)
            modules.Add("""{"idx": 3, "name": "3", "path": "3_Normalize", "type": "sentence_transformers.models.Normalize"}""");
        File.WriteAllText(folder.File("modules.json"), "[" + string.Join(",", modules) + "]");
        return folder;
    }
}
