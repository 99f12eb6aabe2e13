using System.Runtime.InteropServices;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;
using MultiModalSearch.Models.Resolution;
using MultiModalSearch.Models.Tokenization.WordPiece;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Bert;

/// <summary>
/// A BERT sentence embedder as sentence-transformers runs it: tokenise (truncating to max_seq_length), encode, pool
/// the [CLS] state or the mean of the real tokens, and L2-normalise when the folder has a Normalize module.
/// Not thread-safe: one caller at a time.
/// </summary>
public sealed class SentenceEmbedder : IEmbeddingModel
{
    private readonly BertModel model;

    private SentenceEmbedder(BertModel model, BertWordPieceTokenizer tokenizer, SentenceEmbedderConfig settings, ComputeOptions compute)
    {
        this.model = model;
        Tokenizer = tokenizer;
        Settings = settings;
        Compute = compute;
    }

    public BertModel Model => model;

    public BertWordPieceTokenizer Tokenizer { get; }

    public SentenceEmbedderConfig Settings { get; }

    public ComputeOptions Compute { get; }

    public int Dimension => model.Config.HiddenSize;

    public bool EmbedsImages => false;

    /// <exception cref="UnsupportedModelException">The folder holds another kind of model.</exception>
    public static SentenceEmbedder Open(string directory, ComputeOptions? compute = null)
    {
        compute ??= ComputeOptions.Cpu;
        BertTextModel.RequireKind(directory, ModelKind.SentenceEmbedder, "it does not make embeddings");
        var settings = SentenceEmbedderConfig.Read(directory);
        var config = BertConfig.Load(Path.Combine(directory, "config.json"));
        var tokenizer = BertTextModel.OpenTokenizer(directory, config, settings.MaxSeqLength);
        return new SentenceEmbedder(BertModelLoader.LoadEncoder(directory, compute), tokenizer, settings, compute);
    }

    /// <summary>The tokenizer as the embedder uses it (truncating to max_seq_length), without loading the weights.</summary>
    public static BertWordPieceTokenizer OpenTokenizer(string directory) =>
        BertTextModel.OpenTokenizer(directory, BertConfig.Load(Path.Combine(directory, "config.json")), SentenceEmbedderConfig.Read(directory).MaxSeqLength);

    /// <summary>Embeddings in input order; texts of similar length are batched together and padded to the longest of each batch.</summary>
    public float[][] EmbedTexts(IReadOnlyList<string> texts, int batchSize = 32)
    {
        var encodings = texts.Select(t => Tokenizer.EncodeSingle(Settings.DoLowerCase ? t.ToLowerInvariant() : t)).ToList();
        var results = new float[texts.Count][];
        foreach (var positions in BertBatch.ByLength(encodings, batchSize))
        {
            using var batch = BertBatch.Create([.. positions.Select(i => encodings[i])], Tokenizer.PadId);
            using var embeddings = Embed(batch);
            var values = MemoryMarshal.Cast<byte, float>(embeddings.bytes);
            for (var row = 0; row < positions.Length; row++)
            {
                results[positions[row]] = values.Slice(row * Dimension, Dimension).ToArray();
            }
        }

        return results;
    }

    public float[] EmbedText(string text) => EmbedTexts([text], 1)[0];

    /// <summary>The pooled (and, if configured, normalised) float32 embeddings [batch, hidden] of a host batch, on the CPU.</summary>
    public Tensor Embed(BertBatch batch)
    {
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var mask = batch.AttentionMask.to(Compute.Device);
        var hidden = model.call(batch.InputIds.to(Compute.Device), mask, batch.TokenTypeIds.to(Compute.Device));
        var pooled = Pool(hidden, mask, Settings.Pooling);
        if (Settings.Normalize)
        {
            pooled = nn.functional.normalize(pooled, dim: -1);
        }

        return pooled.cpu().contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// [CLS] state or masked mean of <paramref name="lastHiddenState"/> [batch, tokens, width], in float32 whatever the
    /// compute dtype, as sentence-transformers' Pooling module computes it.
    /// </summary>
    public static Tensor Pool(Tensor lastHiddenState, Tensor attentionMask, SentencePooling pooling)
    {
        using var scope = NewDisposeScope();
        var hidden = lastHiddenState.to(ScalarType.Float32);
        if (pooling == SentencePooling.Cls)
        {
            return hidden.select(1, 0).MoveToOuterDisposeScope();
        }

        // [batch, tokens] -> [batch, tokens, 1]: padding contributes nothing to the sum or the count.
        var weights = attentionMask.to(ScalarType.Float32).unsqueeze(-1);
        var sum = (hidden * weights).sum(1);
        var count = weights.sum(1).clamp_min(1e-9);
        return (sum / count).MoveToOuterDisposeScope();
    }

    public ImageEmbeddingPipeline<string> CreateImagePipeline(PipelineOptions options) =>
        throw new NotSupportedException("this model is a sentence embedder: it embeds texts only (images need CLIP or Chinese-CLIP)");

    public void Dispose() => model.Dispose();
}
