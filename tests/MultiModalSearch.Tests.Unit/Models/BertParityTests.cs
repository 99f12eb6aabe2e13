using MultiModalSearch.Models.Bert;
using MultiModalSearch.Models.Checkpoints;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Resolution;
using MultiModalSearch.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Tests.Models;

/// <summary>Numerical parity with transformers' BertModel / BertForSequenceClassification on the bert-tiny fixture.</summary>
public sealed class BertParityTests
{
    private static readonly TextModelFixture Fixture = TextModelFixture.BertTiny;

    [Fact]
    public void HiddenStatesAndPoolerMatchReference()
    {
        using var model = BertModelLoader.LoadEncoder(Fixture.Directory);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var mask = Fixture.Expected("attention_mask");
        var hidden = model.call(Fixture.Expected("input_ids"), mask, Fixture.Expected("token_type_ids"));

        Fixture.AssertClose(Fixture.Expected("last_hidden_state"), hidden, "last_hidden_state", mask);
        Fixture.AssertClose(Fixture.Expected("pooler_output"), model.Pool(hidden), "pooler_output");
    }

    [Fact]
    public void ClsAndMeanPoolingMatchReference()
    {
        using var model = BertModelLoader.LoadEncoder(Fixture.Directory);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var mask = Fixture.Expected("attention_mask");
        var hidden = model.call(Fixture.Expected("input_ids"), mask, Fixture.Expected("token_type_ids"));

        Fixture.AssertClose(Fixture.Expected("cls_embeddings"), SentenceEmbedder.Pool(hidden, mask, SentencePooling.Cls), "cls_embeddings");
        Fixture.AssertClose(Fixture.Expected("mean_embeddings"), SentenceEmbedder.Pool(hidden, mask, SentencePooling.Mean), "mean_embeddings");
    }

    [Fact]
    public void PairLogitsMatchReference()
    {
        using var model = BertModelLoader.LoadClassifier(Fixture.RerankerDirectory);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var logits = model.call(Fixture.Expected("pair_input_ids"), Fixture.Expected("pair_attention_mask"), Fixture.Expected("pair_token_type_ids"));

        Fixture.AssertClose(Fixture.Expected("pair_logits"), logits, "pair_logits");
    }

    [Fact]
    public void EncoderKeysAreExactlyTheCheckpointKeys()
    {
        using var model = BertModelLoader.LoadEncoder(Fixture.Directory);
        using var file = SafetensorsFile.Open(Path.Combine(Fixture.Directory, "model.safetensors"));

        Assert.Equal(file.Entries.Keys.Order(StringComparer.Ordinal), model.state_dict().Keys.Order(StringComparer.Ordinal));
        Assert.Contains("encoder.layer.1.attention.self.query.weight", model.state_dict().Keys);
    }

    [Fact]
    public void ClassifierKeysAreExactlyTheCheckpointKeys()
    {
        using var model = BertModelLoader.LoadClassifier(Fixture.RerankerDirectory);
        using var file = SafetensorsFile.Open(Path.Combine(Fixture.RerankerDirectory, "model.safetensors"));

        Assert.Equal(file.Entries.Keys.Order(StringComparer.Ordinal), model.state_dict().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EncoderLoadsKeysStoredWithTheBertPrefixAndSkipsPretrainingHeads()
    {
        using var directory = new TemporaryDirectory();
        File.Copy(Path.Combine(Fixture.Directory, "config.json"), directory.File("config.json"));
        using (var reference = BertModelLoader.LoadEncoder(Fixture.Directory))
        {
            var tensors = reference.state_dict().Select(p => KeyValuePair.Create("bert." + p.Key, p.Value)).ToList();
            tensors.Add(KeyValuePair.Create("cls.predictions.bias", torch.zeros(30522)));
            SafetensorsWriter.Write(directory.File("model.safetensors"), tensors);
        }

        using var model = BertModelLoader.LoadEncoder(directory.Path);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var mask = Fixture.Expected("attention_mask");
        var hidden = model.call(Fixture.Expected("input_ids"), mask, Fixture.Expected("token_type_ids"));
        Fixture.AssertClose(Fixture.Expected("last_hidden_state"), hidden, "last_hidden_state", mask);
    }

    [Fact]
    public void BFloat16StaysCloseToFloat32()
    {
        using var full = BertModelLoader.LoadEncoder(Fixture.Directory);
        using var half = BertModelLoader.LoadEncoder(Fixture.Directory, new ComputeOptions(torch.CPU, ScalarType.BFloat16));
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var (ids, mask, types) = (Fixture.Expected("input_ids"), Fixture.Expected("attention_mask"), Fixture.Expected("token_type_ids"));
        var a = SentenceEmbedder.Pool(full.call(ids, mask, types), mask, SentencePooling.Mean);
        var b = SentenceEmbedder.Pool(half.call(ids, mask, types), mask, SentencePooling.Mean);

        Assert.True(ClipTinyFixture.MinRowCosine(a, b) > 0.99, $"cosine {ClipTinyFixture.MinRowCosine(a, b)}");
    }

    [Theory]
    [InlineData("\"hidden_act\": \"gelu\"", "\"hidden_act\": \"mish\"", "hidden_act 'mish' is not supported")]
    [InlineData("\"num_attention_heads\": 4", "\"num_attention_heads\": 5", "hidden_size must be divisible by num_attention_heads (got 32 and 5)")]
    [InlineData("\"model_type\": \"bert\"", "\"model_type\": \"bert\", \"position_embedding_type\": \"relative_key\"", "position_embedding_type 'relative_key' is not supported")]
    public void BadConfigIsRefusedNamingTheValues(string find, string replace, string expected)
    {
        using var directory = CopyFixture(config => config.Replace(find, replace, StringComparison.Ordinal));
        var error = Assert.Throws<InvalidDataException>(() => BertModelLoader.LoadEncoder(directory.Path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckpointOfAnotherSizeIsRefusedNamingTheTensors()
    {
        using var directory = CopyFixture(config => config.Replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3", StringComparison.Ordinal));
        var error = Assert.Throws<CheckpointMismatchException>(() => BertModelLoader.LoadEncoder(directory.Path));
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("encoder.layer.2.attention.self.query.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RerankerIsNotASentenceEmbedderAndViceVersa()
    {
        var asEmbedder = Assert.Throws<UnsupportedModelException>(() => SentenceEmbedder.Open(Fixture.RerankerDirectory));
        Assert.Contains("is a cross-encoder reranker", asEmbedder.Message, StringComparison.Ordinal);
        var asReranker = Assert.Throws<UnsupportedModelException>(() => CrossEncoderReranker.Open(Fixture.Directory));
        Assert.Contains("is a sentence embedder", asReranker.Message, StringComparison.Ordinal);
    }

    private static TemporaryDirectory CopyFixture(Func<string, string> editConfig)
    {
        var directory = new TemporaryDirectory();
        foreach (var file in Directory.GetFiles(Fixture.Directory))
        {
            var name = Path.GetFileName(file);
            if (name == "config.json")
                File.WriteAllText(directory.File(name), editConfig(File.ReadAllText(file)));
            else if (!name.StartsWith("expected", StringComparison.Ordinal))
                File.CreateSymbolicLink(directory.File(name), file);
        }

        return directory;
    }
}
