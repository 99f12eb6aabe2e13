namespace MultiModalSearch.Training.Inputs;

/// <summary>Turns image files and captions into model inputs: the seam between training and tokenizer/preprocessor.</summary>
public interface IClipInputEncoder
{
    /// <summary>Side of the square, normalised CHW float32 image the preprocessor writes.</summary>
    int ImageSize { get; }

    /// <summary>How <see cref="LoadImage"/> normalised the pixels (so augmentations can work in colour space).</summary>
    PixelNormalization Normalization { get; }

    /// <summary>Writes 3 * ImageSize * ImageSize normalised floats (CHW) for the image at <paramref name="path"/>.</summary>
    void LoadImage(string path, Span<float> destination);

    /// <summary>Token ids from start-of-text to end-of-text, truncated to the context length.</summary>
    IReadOnlyList<int> Tokenize(string text);
}
