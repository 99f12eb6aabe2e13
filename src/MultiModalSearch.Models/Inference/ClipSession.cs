using MultiModalSearch.Imaging;
using MultiModalSearch.Models.ChineseClip;
using MultiModalSearch.Models.Clip;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Resolution;
using MultiModalSearch.Models.Tokenization;
using MultiModalSearch.Models.Tokenization.Clip;
using TorchSharp;

namespace MultiModalSearch.Models.Inference;

/// <summary>
/// Everything needed to embed texts and images with one image-text checkpoint folder: the dual encoder (CLIP or
/// Chinese-CLIP, chosen from the folder's config.json), its tokenizer and its image preprocessor.
/// </summary>
public sealed class ClipSession : IEmbeddingModel
{
    private ClipSession(IImageTextEncoder embedder, ITextTokenizer tokenizer, ImagePreprocessor preprocessor)
    {
        Embedder = embedder;
        Tokenizer = tokenizer;
        Preprocessor = preprocessor;
    }

    public IImageTextEncoder Embedder { get; }

    public ITextTokenizer Tokenizer { get; }

    public ImagePreprocessor Preprocessor { get; }

    public int Dimension => Embedder.Dimension;

    public ComputeOptions Compute => Embedder.Compute;

    public bool EmbedsImages => true;

    /// <exception cref="UnsupportedModelException">The folder holds a model that does not embed images and texts together.</exception>
    public static ClipSession Open(string directory, ComputeOptions compute, ImageDecodeOptions? decodeOptions = null)
    {
        var kind = ModelKindDetector.Detect(directory);
        return kind switch
        {
            ModelKind.Clip => OpenClip(directory, compute, decodeOptions),
            ModelKind.ChineseClip => OpenChineseClip(directory, compute, decodeOptions),
            _ => throw new UnsupportedModelException(
                $"Model '{directory}' is a {kind.Describe()}, not an image-text model: indexing and searching images needs CLIP or Chinese-CLIP."),
        };
    }

    public ImageEmbeddingPipeline<string> CreateImagePipeline(PipelineOptions options) =>
        new(Embedder, Preprocessor.Preprocess, options);

    public ImageEmbeddingPipeline<TInput> CreateImagePipeline<TInput>(ImageLoader<TInput> loader, PipelineOptions options) =>
        new(Embedder, loader, options);

    /// <summary>L2-normalised text embeddings, in input order, batched and cut to each batch's longest text.</summary>
    public float[][] EmbedTexts(IReadOnlyList<string> texts, int batchSize = 64) => Embedder.EmbedTexts(texts, batchSize);

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

    private static ClipSession OpenClip(string directory, ComputeOptions compute, ImageDecodeOptions? decodeOptions)
    {
        var tokenizer = ClipTokenizer.FromDirectory(directory);
        var preprocessor = ImagePreprocessor.FromModelDirectory(directory, decodeOptions);
        var model = ClipModelLoader.Load(directory, compute);
        var config = model.Config;
        if (!CropsTo(preprocessor, config.Vision.ImageSize))
        {
            model.Dispose();
            throw CropMismatch(directory, preprocessor, config.Vision.ImageSize);
        }

        if (tokenizer.VocabularySize != config.Text.VocabSize)
        {
            model.Dispose();
            throw new InvalidDataException(
                $"{directory}: the tokenizer has {tokenizer.VocabularySize} tokens but the model's vocab_size is {config.Text.VocabSize}");
        }

        return new ClipSession(new ClipImageTextEncoder(new ClipEmbedder(model, compute), tokenizer), tokenizer, preprocessor);
    }

    private static ClipSession OpenChineseClip(string directory, ComputeOptions compute, ImageDecodeOptions? decodeOptions)
    {
        var tokenizer = ChineseClipEmbedder.OpenTokenizer(directory);
        var preprocessor = ImagePreprocessor.FromModelDirectory(directory, decodeOptions);
        var model = ChineseClipModelLoader.Load(directory, compute);
        if (!CropsTo(preprocessor, model.Config.Vision.ImageSize))
        {
            model.Dispose();
            throw CropMismatch(directory, preprocessor, model.Config.Vision.ImageSize);
        }

        return new ClipSession(new ChineseClipEmbedder(model, tokenizer, compute), tokenizer, preprocessor);
    }

    private static bool CropsTo(ImagePreprocessor preprocessor, int imageSize) =>
        preprocessor.Config.CropHeight == imageSize && preprocessor.Config.CropWidth == imageSize;

    private static InvalidDataException CropMismatch(string directory, ImagePreprocessor preprocessor, int imageSize) =>
        new($"{directory}: preprocessor_config.json crops to {preprocessor.Config.CropWidth}x{preprocessor.Config.CropHeight} but the model's image_size is {imageSize}");
}
