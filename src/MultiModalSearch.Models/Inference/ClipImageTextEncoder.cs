using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Tokenization.Clip;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Inference;

/// <summary>CLIP as an <see cref="IImageTextEncoder"/>: its <see cref="ClipEmbedder"/> with the BPE tokenizer for texts.</summary>
public sealed class ClipImageTextEncoder(ClipEmbedder embedder, ClipTokenizer tokenizer) : IImageTextEncoder
{
    public ClipEmbedder Embedder => embedder;

    public ClipTokenizer Tokenizer => tokenizer;

    public ComputeOptions Compute => embedder.Compute;

    public int Dimension => embedder.Dimension;

    public int ImageSize => embedder.ImageSize;

    public void EmbedImages(Tensor hostPixels, int count, Span<float> destination) => embedder.EmbedImages(hostPixels, count, destination);

    /// <summary>L2-normalised text embeddings, in input order, batched and cut to each batch's longest text.</summary>
    public float[][] EmbedTexts(IReadOnlyList<string> texts, int batchSize)
    {
        var results = new float[texts.Count][];
        var context = tokenizer.ContextLength;
        var ids = new long[batchSize * context];
        var output = new float[batchSize * Dimension];
        for (var start = 0; start < texts.Count; start += batchSize)
        {
            var count = Math.Min(batchSize, texts.Count - start);
            Array.Clear(ids);
            var longest = 0;
            for (var i = 0; i < count; i++)
            {
                longest = Math.Max(longest, tokenizer.EncodePadded(texts[start + i], ids.AsSpan(i * context, context)));
            }

            // A causal text tower never looks past a token, so the padding after the longest text is dead work.
            using var batch = torch.tensor(ids, [batchSize, context]);
            using var cut = batch.narrow(0, 0, count).narrow(1, 0, longest).contiguous();
            embedder.EmbedTokens(cut, output);
            for (var i = 0; i < count; i++)
            {
                results[start + i] = output.AsSpan(i * Dimension, Dimension).ToArray();
            }
        }

        return results;
    }

    public void Dispose() => embedder.Dispose();
}
