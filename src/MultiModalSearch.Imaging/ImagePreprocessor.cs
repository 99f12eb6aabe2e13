using System.Buffers;

namespace MultiModalSearch.Imaging;

/// <summary>
/// CLIP image preprocessing with the OpenAI reference semantics (torchvision on Pillow):
/// Resize(shortest_edge, bicubic) -> CenterCrop -> convert('RGB') -> /255 -> Normalize, producing
/// CHW float32. Decoding and resampling reproduce Pillow's integer arithmetic, so PNG input gives
/// the reference tensor to the last bit and JPEG input differs only where the JPEG decoders do.
/// Immutable and thread-safe: one instance serves all workers.
/// </summary>
public sealed class ImagePreprocessor
{
    private readonly float[] lut; // [channel * 256 + value] -> normalised float

    public ImagePreprocessor(ImagePreprocessorConfig config, ImageDecodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        Options = options ?? ImageDecodeOptions.Default;
        lut = BuildLut(config);
    }

    public ImagePreprocessorConfig Config { get; }

    public ImageDecodeOptions Options { get; }

    /// <summary>Floats per image: 3 * crop height * crop width.</summary>
    public int OutputLength => Config.OutputLength;

    /// <summary>
    /// Reads <c>preprocessor_config.json</c> from a model directory, or, where newer transformers wrote only that, the
    /// <c>image_processor</c> section of <c>processor_config.json</c>.
    /// </summary>
    public static ImagePreprocessor FromModelDirectory(string directory, ImageDecodeOptions? options = null) =>
        new(ImagePreprocessorConfig.FromModelDirectory(directory), options);

    public float[] Preprocess(string path)
    {
        var result = new float[OutputLength];
        Preprocess(path, result);
        return result;
    }

    /// <exception cref="ImageDecodeException">The file cannot be decoded or breaks a limit.</exception>
    public void Preprocess(string path, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(path);
        CheckDestination(destination);
        ImageLimits.CheckFile(path, Options.MaxFileBytes);
        using var image = BmpDecoder.IsBmpFile(path)
            ? BmpDecoder.Decode(File.ReadAllBytes(path), path, Options)
            : ImageDecoder.DecodeFile(path, Config.DecodeTarget, Options);
        Preprocess(image, destination);
    }

    public float[] Preprocess(ReadOnlySpan<byte> encoded, string name = "<upload>")
    {
        var result = new float[OutputLength];
        Preprocess(encoded, result, name);
        return result;
    }

    /// <param name="name">Names the image in error messages (e.g. the upload's file name).</param>
    public void Preprocess(ReadOnlySpan<byte> encoded, Span<float> destination, string name = "<upload>")
    {
        using var image = DecodeBuffer(encoded, destination, name);
        Preprocess(image, destination);
    }

    /// <summary>
    /// Like <see cref="Preprocess(ReadOnlySpan{byte}, Span{float}, string)"/>, and also a preview from the same decoded
    /// pixels, so the indexer decodes each file once. Null when libvips could not make the preview (the pixels are still good).
    /// </summary>
    public byte[]? PreprocessWithThumbnail(ReadOnlySpan<byte> encoded, Span<float> destination, string name, ThumbnailEncoder thumbnails)
    {
        byte[]? thumbnail = null;
        using var image = DecodeBuffer(encoded, destination, name,
            (pixels, layout, orientation) => thumbnail = thumbnails.TryFromVips(pixels, layout, orientation));
        if (BmpDecoder.IsBmp(encoded))
        {
            // Decoded without libvips. Before preprocessing, which premultiplies alpha in place.
            thumbnail = thumbnails.FromDecoded(image, name);
        }

        Preprocess(image, destination);
        return thumbnail;
    }

    private DecodedImage DecodeBuffer(ReadOnlySpan<byte> encoded, Span<float> destination, string name, Action<NetVips.Image, PixelLayout, int>? alsoUse = null)
    {
        CheckDestination(destination);
        // Size first, so an oversized upload is refused before it is copied for libvips.
        ImageLimits.CheckBuffer(encoded.Length, name, Options.MaxFileBytes);
        return BmpDecoder.IsBmp(encoded)
            ? BmpDecoder.Decode(encoded, name, Options)
            : ImageDecoder.Decode(name, encoded, Config.DecodeTarget, Options, alsoUse);
    }

    private void CheckDestination(Span<float> destination)
    {
        if (destination.Length < OutputLength)
            throw new ArgumentException($"destination holds {destination.Length} floats; one image needs {OutputLength}", nameof(destination));
    }

    /// <summary>torchvision Resize(int) size rule: shortest side -> S, long side -> int(S * long / short).</summary>
    internal static (int Width, int Height) ResizedSize(int width, int height, int shortestEdge)
    {
        if (width <= height)
            return (shortestEdge, (int)((double)((long)shortestEdge * height) / width));
        return ((int)((double)((long)shortestEdge * width) / height), shortestEdge);
    }

    /// <summary>torchvision CenterCrop offset: round((size - crop) / 2) with Python's half-to-even.</summary>
    internal static int CropOffset(int size, int crop) => (int)Math.Round((size - crop) / 2.0, MidpointRounding.ToEven);

    private unsafe void Preprocess(DecodedImage image, Span<float> destination)
    {
        if (Config.Convention == PreprocessingConvention.HuggingFace && image.Layout == PixelLayout.Cmyk)
        {
            // Hugging Face converts to RGB before resizing; CMYK's ink formula does not commute with resampling.
            using var rgb = DecodedImage.Allocate(image.Width, image.Height, PixelLayout.Rgb, palette: false);
            PixelConversions.CmykToRgb(image.Data, (long)image.Width * image.Height, rgb.Data);
            Resample(rgb, destination);
            return;
        }

        Resample(image, destination);
    }

    private unsafe void Resample(DecodedImage image, Span<float> destination)
    {
        var huggingFace = Config.Convention == PreprocessingConvention.HuggingFace;
        var (outW, outH) = Config.ResizesToFixedSize
            ? (Config.ResizeWidth!.Value, Config.ResizeHeight!.Value)
            : ResizedSize(image.Width, image.Height, Config.ShortestEdge);
        var window = huggingFace
            ? new PillowResampler.Window(outW, outH, (outW - Config.CropWidth) / 2, (outH - Config.CropHeight) / 2, Config.CropWidth, Config.CropHeight)
            : new PillowResampler.Window(outW, outH,
                CropOffset(outW, Config.CropWidth), CropOffset(outH, Config.CropHeight), Config.CropWidth, Config.CropHeight);
        int bands = image.Bands;
        int filter = Config.Resample;
        // Pillow forces NEAREST for palette images and resizes images with alpha premultiplied. Hugging Face converts to
        // RGB first: palette images are resized with the configured filter, and alpha is dropped, not premultiplied
        // (resizing the colour bands alone is what resizing RGBA without premultiplication does to them).
        bool nearest = filter == PillowFilter.Nearest || (image.IsPalette && !huggingFace);
        bool premultiplied = !nearest && !huggingFace && image.Layout is PixelLayout.Rgba or PixelLayout.GreyAlpha;

        byte[] croppedArray = ArrayPool<byte>.Shared.Rent(window.Width * window.Height * bands);
        try
        {
            fixed (byte* cropped = croppedArray)
            {
                if (premultiplied)
                    PixelConversions.Premultiply(image.Data, (long)image.Width * image.Height, bands);
                if (nearest)
                    PillowResampler.Nearest(image.Data, image.Width, image.Height, bands, window, cropped);
                else
                    PillowResampler.Resize(image.Data, image.Width, image.Height, bands, filter, window, cropped);
                if (premultiplied)
                    PixelConversions.Unpremultiply(cropped, (long)window.Width * window.Height, bands);
                fixed (float* dst = destination)
                fixed (float* lut = this.lut)
                    PixelConversions.ToNormalisedChw(cropped, window.Width * window.Height, image.Layout, lut, dst);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(croppedArray);
        }
    }

    private static float[] BuildLut(ImagePreprocessorConfig config)
    {
        var lut = new float[3 * 256];
        // torchvision's ToTensor divides by 255 in float32; use that exact operation for the
        // standard factor so results match bit for bit, and the configured factor otherwise.
        bool standard = Math.Abs(config.RescaleFactor * 255.0 - 1.0) < 1e-9;
        for (int c = 0; c < 3; c++)
        {
            float mean = config.ImageMean[c];
            float std = config.ImageStd[c];
            for (int v = 0; v < 256; v++)
            {
                float x = standard ? v / 255f : (float)(v * config.RescaleFactor);
                lut[c * 256 + v] = (x - mean) / std;
            }
        }
        return lut;
    }
}
