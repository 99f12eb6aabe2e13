using System.Runtime.InteropServices;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Resolution;
using MultiModalSearch.Models.Tokenization.WordPiece;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Bert;

/// <summary>
/// A cross-encoder reranker: scores (query, passage) pairs by reading them together, <c>[CLS] query [SEP] passage
/// [SEP]</c> with segments 0 then 1 and <c>longest_first</c> truncation, as the raw logit of a one-label
/// BertForSequenceClassification (apply a sigmoid for a 0-1 score). Not thread-safe: one caller at a time.
/// </summary>
public sealed class CrossEncoderReranker : IDisposable
{
    private readonly BertForSequenceClassification model;

    private CrossEncoderReranker(BertForSequenceClassification model, BertWordPieceTokenizer tokenizer, ComputeOptions compute)
    {
        this.model = model;
        Tokenizer = tokenizer;
        Compute = compute;
    }

    public BertForSequenceClassification Model => model;

    public BertWordPieceTokenizer Tokenizer { get; }

    public ComputeOptions Compute { get; }

    /// <exception cref="UnsupportedModelException">The folder holds another kind of model, or a classifier with several labels.</exception>
    public static CrossEncoderReranker Open(string directory, ComputeOptions? compute = null)
    {
        compute ??= ComputeOptions.Cpu;
        var tokenizer = OpenTokenizer(directory);
        return new CrossEncoderReranker(BertModelLoader.LoadClassifier(directory, compute), tokenizer, compute);
    }

    /// <summary>The tokenizer as the reranker uses it, without loading the weights.</summary>
    public static BertWordPieceTokenizer OpenTokenizer(string directory)
    {
        BertTextModel.RequireKind(directory, ModelKind.CrossEncoder, "reranking needs a cross-encoder such as cross-encoder/ms-marco-MiniLM-L-6-v2");
        var config = BertConfig.Load(Path.Combine(directory, "config.json"));
        if (config.NumLabels != 1)
        {
            throw new UnsupportedModelException(
                $"Model '{directory}' classifies into {config.NumLabels} labels; a reranker gives one score per pair (num_labels 1).");
        }

        return BertTextModel.OpenTokenizer(directory, config, SentenceEmbedderConfig.Read(directory).MaxSeqLength);
    }

    /// <summary>The raw logit of each passage for <paramref name="query"/>, in passage order.</summary>
    public float[] Score(string query, IReadOnlyList<string> passages, int batchSize = 32) =>
        ScorePairs([.. passages.Select(p => (query, p))], batchSize);

    /// <summary>The raw logit of each (query, passage) pair, in input order; pairs of similar length are batched together.</summary>
    public float[] ScorePairs(IReadOnlyList<(string Query, string Passage)> pairs, int batchSize = 32)
    {
        var encodings = pairs.Select(p => Tokenizer.EncodePair(p.Query, p.Passage)).ToList();
        var scores = new float[pairs.Count];
        foreach (var positions in BertBatch.ByLength(encodings, batchSize))
        {
            using var batch = BertBatch.Create([.. positions.Select(i => encodings[i])], Tokenizer.PadId);
            using var logits = Logits(batch);
            var values = MemoryMarshal.Cast<byte, float>(logits.bytes);
            for (var row = 0; row < positions.Length; row++)
            {
                scores[positions[row]] = values[row];
            }
        }

        return scores;
    }

    /// <summary>The float32 logits [batch, 1] of a host batch, on the CPU.</summary>
    public Tensor Logits(BertBatch batch)
    {
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var logits = model.call(batch.InputIds.to(Compute.Device), batch.AttentionMask.to(Compute.Device), batch.TokenTypeIds.to(Compute.Device));
        return logits.to(ScalarType.Float32).cpu().contiguous().MoveToOuterDisposeScope();
    }

    public void Dispose() => model.Dispose();
}
