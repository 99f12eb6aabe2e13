using System.Runtime.InteropServices;
using MultiModalSearch.Models.Bert;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;
using MultiModalSearch.Models.Tokenization.WordPiece;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.ChineseClip;

/// <summary>
/// Runs a loaded <see cref="ChineseClipModel"/> on batches and returns L2-normalised embeddings as plain arrays: texts
/// through the WordPiece tokenizer (padded to each batch's longest, with the attention mask BERT needs), images from
/// preprocessed pixel batches. Not thread-safe: one encoder thread owns it.
/// </summary>
public sealed class ChineseClipEmbedder : IImageTextEncoder
{
    private readonly ChineseClipModel model;

    public ChineseClipEmbedder(ChineseClipModel model, BertWordPieceTokenizer tokenizer, ComputeOptions compute)
    {
        this.model = model;
        Tokenizer = tokenizer;
        Compute = compute;
    }

    public ChineseClipModel Model => model;

    public BertWordPieceTokenizer Tokenizer { get; }

    public ComputeOptions Compute { get; }

    public int Dimension => model.Config.ProjectionDim;

    public int ImageSize => model.Config.Vision.ImageSize;

    /// <summary>The tokenizer the text tower reads (model_max_length, Chinese-CLIP's context of 52), without loading the weights.</summary>
    public static BertWordPieceTokenizer OpenTokenizer(string directory) =>
        BertTextModel.OpenTokenizer(directory, ChineseClipConfig.Load(Path.Combine(directory, "config.json")).Text, null);

    public void EmbedImages(Tensor hostPixels, int count, Span<float> destination)
    {
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var batch = count == hostPixels.shape[0] ? hostPixels : hostPixels.narrow(0, 0, count);
        var pixels = batch.to(Compute.Device, non_blocking: Compute.IsCuda).to(Compute.DType);
        CopyNormalised(model.GetImageFeatures(pixels), destination);
    }

    public float[][] EmbedTexts(IReadOnlyList<string> texts, int batchSize)
    {
        var encodings = texts.Select(Tokenizer.EncodeSingle).ToList();
        var results = new float[texts.Count][];
        var output = new float[batchSize * Dimension];
        foreach (var positions in BertBatch.ByLength(encodings, batchSize))
        {
            using var batch = BertBatch.Create([.. positions.Select(i => encodings[i])], Tokenizer.PadId);
            EmbedTokens(batch, output);
            for (var row = 0; row < positions.Length; row++)
            {
                results[positions[row]] = output.AsSpan(row * Dimension, Dimension).ToArray();
            }
        }

        return results;
    }

    /// <summary>Embeds a host batch of token ids, mask and segments into <paramref name="destination"/>.</summary>
    public void EmbedTokens(BertBatch batch, Span<float> destination)
    {
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var features = model.GetTextFeatures(
            batch.InputIds.to(Compute.Device), batch.AttentionMask.to(Compute.Device), batch.TokenTypeIds.to(Compute.Device));
        CopyNormalised(features, destination);
    }

    public void Dispose() => model.Dispose();

    private static void CopyNormalised(Tensor features, Span<float> destination)
    {
        // Normalise in float32 whatever the compute dtype, so stored vectors are unit length to float precision.
        using var normalised = nn.functional.normalize(features.to(ScalarType.Float32), dim: -1).cpu().contiguous();
        MemoryMarshal.Cast<byte, float>(normalised.bytes).CopyTo(destination);
    }
}
