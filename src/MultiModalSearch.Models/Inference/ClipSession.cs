using MultiModalSearch.Imaging;
using MultiModalSearch.Models.Clip;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Tokenization.Clip;
using TorchSharp;

namespace MultiModalSearch.Models.Inference;

/// <summary>Everything needed to embed texts and images with one checkpoint folder: model, tokenizer, image preprocessor.</summary>
public sealed class ClipSession : IDisposable
{
    private ClipSession(ClipEmbedder embedder, ClipTokenizer tokenizer, ImagePreprocessor preprocessor)
    {
        Embedder = embedder;
        Tokenizer = tokenizer;
        Preprocessor = preprocessor;
    }

    public ClipEmbedder Embedder { get; }

    public ClipTokenizer Tokenizer { get; }

    public ImagePreprocessor Preprocessor { get; }

    public int Dimension => Embedder.Dimension;

    public static ClipSession Open(string directory, ComputeOptions compute, ImageDecodeOptions? decodeOptions = null)
    {
        var tokenizer = ClipTokenizer.FromDirectory(directory);
        var preprocessor = ImagePreprocessor.FromModelDirectory(directory, decodeOptions);
        var model = ClipModelLoader.Load(directory, compute);
        var config = model.Config;
        if (preprocessor.Config.CropHeight != config.Vision.ImageSize || preprocessor.Config.CropWidth != config.Vision.ImageSize)
        {
            model.Dispose();
            throw new InvalidDataException(
                $"{directory}: preprocessor_config.json crops to {preprocessor.Config.CropWidth}x{preprocessor.Config.CropHeight} but the model's image_size is {config.Vision.ImageSize}");
        }

        if (tokenizer.VocabularySize != config.Text.VocabSize)
        {
            model.Dispose();
            throw new InvalidDataException(
                $"{directory}: the tokenizer has {tokenizer.VocabularySize} tokens but the model's vocab_size is {config.Text.VocabSize}");
        }

        return new ClipSession(new ClipEmbedder(model, compute), tokenizer, preprocessor);
    }

    public ImageEmbeddingPipeline<string> CreateImagePipeline(PipelineOptions options) =>
        new(Embedder, Preprocessor.Preprocess, options);

    public ImageEmbeddingPipeline<TInput> CreateImagePipeline<TInput>(ImageLoader<TInput> loader, PipelineOptions options) =>
        new(Embedder, loader, options);

    /// <summary>L2-normalised text embeddings, in input order, batched and cut to each batch's longest text.</summary>
    public float[][] EmbedTexts(IReadOnlyList<string> texts, int batchSize = 64)
    {
        var results = new float[texts.Count][];
        var context = Tokenizer.ContextLength;
        var ids = new long[batchSize * context];
        var output = new float[batchSize * Dimension];
        for (var start = 0; start < texts.Count; start += batchSize)
        {
            var count = Math.Min(batchSize, texts.Count - start);
            Array.Clear(ids);
            var longest = 0;
            for (var i = 0; i < count; i++)
            {
                longest = Math.Max(longest, Tokenizer.EncodePadded(texts[start + i], ids.AsSpan(i * context, context)));
            }

            // A causal text tower never looks past a token, so the padding after the longest text is dead work.
            using var batch = torch.tensor(ids, [batchSize, context]);
            using var cut = batch.narrow(0, 0, count).narrow(1, 0, longest).contiguous();
            Embedder.EmbedTokens(cut, output);
            for (var i = 0; i < count; i++)
            {
                results[start + i] = output.AsSpan(i * Dimension, Dimension).ToArray();
            }
        }

        return results;
    }

    public float[] EmbedText(string text) => EmbedTexts([text], 1)[0];

    /// <summary>One image from an encoded buffer (an upload), through the same preprocessing as files.</summary>
    public float[] EmbedImage(ReadOnlySpan<byte> encoded, string name = "<upload>")
    {
        var pixels = Preprocessor.Preprocess(encoded, name);
        var size = Embedder.ImageSize;
        using var batch = torch.tensor(pixels, [1, 3, size, size]);
        var output = new float[Dimension];
        Embedder.EmbedImages(batch, 1, output);
        return output;
    }

    public void Dispose() => Embedder.Dispose();
}
