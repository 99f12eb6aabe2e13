using System.Text.Json;
using MultiModalSearch.Models.Bert;
using MultiModalSearch.Models.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MultiModalSearch.Bench;

/// <summary>
/// A BERT checkpoint folder with random weights (transformers' initialisation: normal(0, 0.02), zero biases) in the
/// sentence-transformers layout (CLS pooling, Normalize) or as a one-label cross-encoder, with bert-base-uncased's
/// vocabulary, so the benchmarks open it the way the CLI opens a downloaded model. Idempotent: a complete folder is kept.
/// </summary>
internal static class RandomBertFolder
{
    /// <summary>BAAI/bge-small-en-v1.5's shape: hidden 384, 12 layers of 12 heads, MLP 1536.</summary>
    public static BertConfig BgeSmall { get; } = new() { HiddenSize = 384, NumHiddenLayers = 12, NumAttentionHeads = 12, IntermediateSize = 1536, NumLabels = 1 };

    /// <summary>The bge-small-shaped sentence embedder the bert and ingest benchmarks share.</summary>
    public static string EnsureBgeSmall(BenchPaths paths, int maxSeqLength) => Ensure(paths, "bge-small-random", BgeSmall, classifier: false, maxSeqLength);

    public static string Ensure(BenchPaths paths, string name, BertConfig config, bool classifier, int maxSeqLength)
    {
        var directory = Path.Combine(paths.Root, "models", name);
        var weights = Path.Combine(directory, "model.safetensors");
        Directory.CreateDirectory(directory);
        // Rewritten every time: the texts' truncation length is the run's --tokens, not the one the folder was made with.
        File.WriteAllText(Path.Combine(directory, "sentence_bert_config.json"), $$"""{"max_seq_length": {{maxSeqLength}}, "do_lower_case": false}""");
        if (File.Exists(weights))
        {
            return directory;
        }

        var tokenizer = Path.Combine(paths.RepoRoot, "tests", "fixtures", "bert-tiny");
        foreach (var file in new[] { "vocab.txt", "tokenizer_config.json" })
        {
            File.Copy(Path.Combine(tokenizer, file), Path.Combine(directory, file), overwrite: true);
        }

        File.WriteAllText(Path.Combine(directory, "config.json"), ConfigJson(config, classifier));
        if (!classifier)
        {
            Directory.CreateDirectory(Path.Combine(directory, "1_Pooling"));
            File.WriteAllText(Path.Combine(directory, "1_Pooling", "config.json"),
                $$"""{"word_embedding_dimension": {{config.HiddenSize}}, "pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false}""");
            File.WriteAllText(Path.Combine(directory, "modules.json"), """
                [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                 {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]
                """);
        }

        torch.manual_seed(20261123);
        using nn.Module model = classifier ? new BertForSequenceClassification(config) : new BertModel(config);
        Initialise(model);
        // The weights appear last (written beside, then renamed), so their presence means the folder is complete.
        var partial = weights + ".partial";
        SafetensorsWriter.Write(partial, model.state_dict());
        File.Move(partial, weights, overwrite: true);
        return directory;
    }

    private static void Initialise(nn.Module model)
    {
        using var noGrad = torch.no_grad();
        foreach (var (_, module) in model.named_modules())
        {
            switch (module)
            {
                case Linear linear:
                    linear.weight!.normal_(0, 0.02);
                    linear.bias?.zero_();
                    break;
                case Embedding embedding:
                    embedding.weight!.normal_(0, 0.02);
                    break;
            }
        }
    }

    private static string ConfigJson(BertConfig config, bool classifier) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["architectures"] = new[] { classifier ? "BertForSequenceClassification" : "BertModel" },
        ["model_type"] = "bert",
        ["vocab_size"] = config.VocabSize,
        ["hidden_size"] = config.HiddenSize,
        ["num_hidden_layers"] = config.NumHiddenLayers,
        ["num_attention_heads"] = config.NumAttentionHeads,
        ["intermediate_size"] = config.IntermediateSize,
        ["hidden_act"] = config.HiddenAct,
        ["max_position_embeddings"] = config.MaxPositionEmbeddings,
        ["type_vocab_size"] = config.TypeVocabSize,
        ["layer_norm_eps"] = config.LayerNormEps,
        ["id2label"] = classifier ? new Dictionary<string, string> { ["0"] = "LABEL_0" } : new Dictionary<string, string> { ["0"] = "LABEL_0", ["1"] = "LABEL_1" },
    });
}
