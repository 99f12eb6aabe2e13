using MultiModalSearch.Imaging;
using MultiModalSearch.Models.Tokenization.Clip;

namespace MultiModalSearch.Training.Inputs;

/// <summary>The production encoder: the model folder's CLIP tokenizer and image preprocessor.</summary>
public sealed class ClipInputEncoder(ClipTokenizer tokenizer, ImagePreprocessor preprocessor) : IClipInputEncoder
{
    public int ImageSize => preprocessor.Config.CropHeight;

    public PixelNormalization Normalization =>
        new(preprocessor.Config.ImageMean, preprocessor.Config.ImageStd, 255 * preprocessor.Config.RescaleFactor);

    /// <summary>Reads the tokenizer files and <c>preprocessor_config.json</c> of a Hugging Face layout folder.</summary>
    public static ClipInputEncoder FromModelDirectory(string directory) =>
        new(ClipTokenizer.FromDirectory(directory), ImagePreprocessor.FromModelDirectory(directory));

    public void LoadImage(string path, Span<float> destination) => preprocessor.Preprocess(path, destination);

    public IReadOnlyList<int> Tokenize(string text) => tokenizer.Encode(text);
}
