using MultiModalSearch.Imaging;
using MultiModalSearch.Models.Tokenization.SentencePiece;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Llava;

/// <summary>
/// Prompt text and images to model inputs, as transformers' LlavaProcessor: the tokenizer encodes the prompt (BOS, text
/// segments around each <c>&lt;image&gt;</c> encoded separately), each image placeholder becomes one id per image
/// feature, and images go through CLIPImageProcessor's steps (Hugging Face order, Pillow-exact bicubic).
/// </summary>
public sealed class LlavaProcessor
{
    public LlavaProcessor(LlamaTokenizer tokenizer, ImagePreprocessor imagePreprocessor, LlavaConfig config)
    {
        Tokenizer = tokenizer;
        ImagePreprocessor = imagePreprocessor;
        ImageTokenIndex = config.ImageTokenIndex;
        ImageSequenceLength = config.ImageSequenceLength;
        ImageSize = config.Vision.ImageSize;
        ImageToken = tokenizer.IdToToken(config.ImageTokenIndex);
    }

    public LlamaTokenizer Tokenizer { get; }

    public ImagePreprocessor ImagePreprocessor { get; }

    public int ImageTokenIndex { get; }

    /// <summary>The placeholder's text, <c>&lt;image&gt;</c>.</summary>
    public string ImageToken { get; }

    /// <summary>Ids one image occupies in the decoder's input (576 for LLaVA-1.5-7B, 49 for the tiny fixture).</summary>
    public int ImageSequenceLength { get; }

    public int ImageSize { get; }

    public static LlavaProcessor FromDirectory(string directory, LlavaConfig config)
    {
        var tokenizer = LlamaTokenizer.FromDirectory(directory);
        var path = Path.Combine(directory, "preprocessor_config.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{directory} has no preprocessor_config.json: the image preprocessing settings of the checkpoint are needed", path);
        }

        var imageConfig = ImagePreprocessorConfig.Load(path) with { Convention = PreprocessingConvention.HuggingFace };
        if (imageConfig.CropHeight != config.Vision.ImageSize || imageConfig.CropWidth != config.Vision.ImageSize)
        {
            throw new InvalidDataException(
                $"{directory}: preprocessor_config.json crops to {imageConfig.CropWidth}x{imageConfig.CropHeight} but the vision tower's image_size is {config.Vision.ImageSize}");
        }

        if (tokenizer.VocabularySize > config.Text.VocabSize)
        {
            throw new InvalidDataException(
                $"{directory}: the tokenizer has {tokenizer.VocabularySize} tokens but text_config.vocab_size is {config.Text.VocabSize}");
        }

        return new LlavaProcessor(tokenizer, new ImagePreprocessor(imageConfig), config);
    }

    /// <summary>
    /// The prompt's ids with every <c>&lt;image&gt;</c> expanded. The number of placeholders must equal
    /// <paramref name="imageCount"/>: images and placeholders pair up in order.
    /// </summary>
    public int[] EncodePrompt(string prompt, int imageCount)
    {
        var ids = Tokenizer.Encode(prompt);
        var placeholders = ids.Count(id => id == ImageTokenIndex);
        if (placeholders != imageCount)
        {
            throw new ArgumentException(
                $"the prompt has {placeholders} {ImageToken} placeholder(s) but {imageCount} image(s) were given; put one {ImageToken} where each image goes");
        }

        var expanded = new List<int>(ids.Count + (imageCount * (ImageSequenceLength - 1)));
        foreach (var id in ids)
        {
            if (id == ImageTokenIndex)
            {
                expanded.AddRange(Enumerable.Repeat(ImageTokenIndex, ImageSequenceLength));
            }
            else
            {
                expanded.Add(id);
            }
        }

        return [.. expanded];
    }

    /// <summary>[images, 3, size, size] float32 on the CPU; null for no images.</summary>
    /// <exception cref="ImageDecodeException">An image cannot be decoded or breaks a size limit.</exception>
    public Tensor? PreprocessImages(IReadOnlyList<LlavaImage> images)
    {
        if (images.Count == 0)
        {
            return null;
        }

        var length = ImagePreprocessor.OutputLength;
        var pixels = new float[images.Count * length];
        for (var i = 0; i < images.Count; i++)
        {
            ImagePreprocessor.Preprocess(images[i].Bytes.Span, pixels.AsSpan(i * length, length), images[i].Name);
        }

        return torch.tensor(pixels, [images.Count, 3, ImageSize, ImageSize]);
    }
}
