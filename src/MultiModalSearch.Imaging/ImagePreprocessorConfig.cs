using System.Globalization;
using System.Text.Json;

namespace MultiModalSearch.Imaging;

/// <summary>
/// The subset of a Hugging Face <c>preprocessor_config.json</c> (CLIPImageProcessor, ChineseCLIPImageProcessor) that
/// the image pipeline honours. Values that would change the pipeline's shape (no resize, no centre crop) are
/// rejected instead of silently ignored, so a checkpoint with a different recipe fails loudly at start-up rather
/// than degrading search.
/// </summary>
public sealed record ImagePreprocessorConfig
{
    private const string ChineseClipProcessor = "ChineseCLIPImageProcessor";

    /// <summary>Shortest side after resizing (<c>size.shortest_edge</c>), when <see cref="ResizeHeight"/> is not set.</summary>
    public int ShortestEdge { get; init; } = 224;

    /// <summary>Resize to exactly this height (<c>size.height</c>), aspect ratio not kept; null: keep it (shortest edge).</summary>
    public int? ResizeHeight { get; init; }

    /// <summary>Resize to exactly this width (<c>size.width</c>); set together with <see cref="ResizeHeight"/>.</summary>
    public int? ResizeWidth { get; init; }

    /// <summary>Whether the resize ignores the aspect ratio (a fixed height and width).</summary>
    public bool ResizesToFixedSize => ResizeHeight is not null;

    /// <summary>The short side the decoder may shrink an image towards without losing detail the resize keeps.</summary>
    public int DecodeTarget => ResizeHeight is { } height ? Math.Max(height, ResizeWidth ?? height) : ShortestEdge;

    public int CropHeight { get; init; } = 224;

    public int CropWidth { get; init; } = 224;

    /// <summary>Pillow resampling filter id: 0 nearest, 1 lanczos, 2 bilinear, 3 bicubic, 4 box, 5 hamming.</summary>
    public int Resample { get; init; } = 3;

    /// <summary>Multiplier applied to 8-bit values (1/255 for CLIP). 1 when <c>do_rescale</c> is false.</summary>
    public double RescaleFactor { get; init; } = 1.0 / 255.0;

    /// <summary>Per-channel mean (R, G, B); zeros when <c>do_normalize</c> is false.</summary>
    public IReadOnlyList<float> ImageMean { get; init; } = [0.48145466f, 0.4578275f, 0.40821073f];

    /// <summary>Per-channel standard deviation (R, G, B); ones when <c>do_normalize</c> is false.</summary>
    public IReadOnlyList<float> ImageStd { get; init; } = [0.26862954f, 0.26130258f, 0.27577711f];

    /// <summary>Operation order and crop rounding: OpenAI's (the default, for CLIP) or Hugging Face's (for Chinese-CLIP and LLaVA).</summary>
    public PreprocessingConvention Convention { get; init; } = PreprocessingConvention.OpenAiClip;

    /// <summary>Number of floats one preprocessed image occupies: 3 * crop height * crop width (CHW).</summary>
    public int OutputLength => 3 * CropHeight * CropWidth;

    /// <summary>OpenAI CLIP ViT-B/32 defaults (identical to the fixture's file).</summary>
    public static ImagePreprocessorConfig OpenAiClip { get; } = new();

    /// <summary>
    /// A model folder's <c>preprocessor_config.json</c>, or the <c>image_processor</c> section of its
    /// <c>processor_config.json</c> (newer transformers nest it there).
    /// </summary>
    public static ImagePreprocessorConfig FromModelDirectory(string directory)
    {
        var preprocessor = Path.Combine(directory, "preprocessor_config.json");
        var processor = Path.Combine(directory, "processor_config.json");
        if (File.Exists(preprocessor) || !File.Exists(processor))
            return Load(preprocessor);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(processor));
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("image_processor", out var section))
                throw Invalid(processor, "has no image_processor section (and there is no preprocessor_config.json)");
            return FromJson(section, processor);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{processor}: not valid JSON: {e.Message}", e);
        }
    }

    public static ImagePreprocessorConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Cannot read preprocessor config '{path}': {e.Message}", e);
        }
        return Parse(json, path);
    }

    /// <param name="source">Name used in error messages (usually the file path).</param>
    public static ImagePreprocessorConfig Parse(string json, string source = "preprocessor_config.json")
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            return FromJson(doc.RootElement, source);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON: {e.Message}", e);
        }
    }

    private static ImagePreprocessorConfig FromJson(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw Invalid(source, "the root must be a JSON object");

        RequireTrueIfPresent(root, "do_resize", source);
        RequireTrueIfPresent(root, "do_center_crop", source);
        RequireTrueIfPresent(root, "do_convert_rgb", source);

        var (shortestEdge, height, width) = ReadSize(root, source);
        var config = new ImagePreprocessorConfig
        {
            ShortestEdge = shortestEdge,
            ResizeHeight = height,
            ResizeWidth = width,
            // transformers' ChineseCLIPImageProcessor is the reference of Chinese-CLIP checkpoints: its operation order, not OpenAI's.
            Convention = root.TryGetProperty("image_processor_type", out var type) && type.ValueKind == JsonValueKind.String
                && type.GetString()!.StartsWith(ChineseClipProcessor, StringComparison.Ordinal)
                    ? PreprocessingConvention.HuggingFace
                    : PreprocessingConvention.OpenAiClip,
            CropHeight = ReadCrop(root, "height", source),
            CropWidth = ReadCrop(root, "width", source),
            Resample = root.TryGetProperty("resample", out var r) ? ReadInt(r, "resample", source) : 3,
            RescaleFactor = ReadBool(root, "do_rescale", true, source)
                ? (root.TryGetProperty("rescale_factor", out var f) ? ReadDouble(f, "rescale_factor", source) : 1.0 / 255.0)
                : 1.0,
            ImageMean = ReadBool(root, "do_normalize", true, source) ? ReadTriple(root, "image_mean", source) : [0f, 0f, 0f],
            ImageStd = ReadBool(root, "do_normalize", true, source) ? ReadTriple(root, "image_std", source) : [1f, 1f, 1f],
        };
        config.Validate(source);
        return config;
    }

    /// <summary>Checks ranges; throws <see cref="InvalidDataException"/> naming the offending value.</summary>
    public void Validate(string source = "preprocessor config")
    {
        // 4096 is far above any CLIP resolution and keeps 3*H*W comfortably inside int.
        if (ShortestEdge is < 1 or > 4096)
            throw Invalid(source, $"size.shortest_edge = {ShortestEdge} is outside 1..4096");
        if (CropHeight is < 1 or > 4096 || CropWidth is < 1 or > 4096)
            throw Invalid(source, $"crop_size = {CropHeight}x{CropWidth} is outside 1..4096");
        if (ResizeHeight is { } height)
        {
            var width = ResizeWidth ?? 0;
            if (height is < 1 or > 4096 || width is < 1 or > 4096)
                throw Invalid(source, $"size = {height}x{width} is outside 1..4096");
            if (CropHeight > height || CropWidth > width)
                throw Invalid(source, $"crop_size {CropHeight}x{CropWidth} is larger than size {height}x{width}; padding is not supported");
        }
        else if (CropHeight > ShortestEdge || CropWidth > ShortestEdge)
            throw Invalid(source, $"crop_size {CropHeight}x{CropWidth} is larger than size.shortest_edge {ShortestEdge}; padding is not supported");
        if (Resample is < 0 or > 5)
            throw Invalid(source, $"resample = {Resample} is not a Pillow filter id (0..5)");
        if (!(RescaleFactor > 0) || double.IsInfinity(RescaleFactor))
            throw Invalid(source, $"rescale_factor = {RescaleFactor.ToString(CultureInfo.InvariantCulture)} must be a positive finite number");
        if (ImageMean.Count != 3 || ImageStd.Count != 3)
            throw Invalid(source, $"image_mean/image_std need 3 values, got {ImageMean.Count} and {ImageStd.Count}");
        for (int c = 0; c < 3; c++)
        {
            if (!float.IsFinite(ImageMean[c]))
                throw Invalid(source, $"image_mean[{c}] = {ImageMean[c]} is not finite");
            if (!(ImageStd[c] > 0) || !float.IsFinite(ImageStd[c]))
                throw Invalid(source, $"image_std[{c}] = {ImageStd[c].ToString(CultureInfo.InvariantCulture)} must be positive");
        }
    }

    // size: a bare int or {"shortest_edge": N} keeps the aspect ratio; {"height": H, "width": W} resizes to exactly that.
    private static (int ShortestEdge, int? Height, int? Width) ReadSize(JsonElement root, string source)
    {
        if (!root.TryGetProperty("size", out var size))
            return (224, null, null);
        if (size.ValueKind == JsonValueKind.Number)
            return (ReadInt(size, "size", source), null, null); // older configs store a bare int meaning shortest edge
        if (size.ValueKind == JsonValueKind.Object && size.TryGetProperty("shortest_edge", out var edge))
            return (ReadInt(edge, "size.shortest_edge", source), null, null);
        if (size.ValueKind == JsonValueKind.Object && size.TryGetProperty("height", out var h) && size.TryGetProperty("width", out var w))
        {
            var height = ReadInt(h, "size.height", source);
            return (height, height, ReadInt(w, "size.width", source));
        }

        throw Invalid(source, $"size = {size.GetRawText()} is not supported; use {{\"shortest_edge\": N}} (aspect-preserving resize) or {{\"height\": H, \"width\": W}}");
    }

    private static int ReadCrop(JsonElement root, string side, string source)
    {
        if (!root.TryGetProperty("crop_size", out var crop))
            return 224;
        if (crop.ValueKind == JsonValueKind.Number)
            return ReadInt(crop, "crop_size", source);
        if (crop.ValueKind == JsonValueKind.Object && crop.TryGetProperty(side, out var v))
            return ReadInt(v, "crop_size." + side, source);
        throw Invalid(source, $"crop_size = {crop.GetRawText()} needs 'height' and 'width'");
    }

    private static float[] ReadTriple(JsonElement root, string name, string source)
    {
        if (!root.TryGetProperty(name, out var arr))
            throw Invalid(source, $"{name} is missing although do_normalize is true");
        if (arr.ValueKind != JsonValueKind.Array || arr.GetArrayLength() != 3)
            throw Invalid(source, $"{name} = {arr.GetRawText()} must be an array of 3 numbers");
        var values = new float[3];
        int i = 0;
        foreach (var item in arr.EnumerateArray())
        {
            values[i] = (float)ReadDouble(item, $"{name}[{i}]", source);
            i++;
        }
        return values;
    }

    private static void RequireTrueIfPresent(JsonElement root, string name, string source)
    {
        if (!ReadBool(root, name, true, source))
            throw Invalid(source, $"{name} = false is not supported; the CLIP pipeline always does it");
    }

    private static bool ReadBool(JsonElement root, string name, bool fallback, string source)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return fallback;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(source, $"{name} = {v.GetRawText()} must be true or false"),
        };
    }

    private static int ReadInt(JsonElement v, string name, string source) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i)
            ? i
            : throw Invalid(source, $"{name} = {v.GetRawText()} must be an integer");

    private static double ReadDouble(JsonElement v, string name, string source) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d)
            ? d
            : throw Invalid(source, $"{name} = {v.GetRawText()} must be a number");

    private static InvalidDataException Invalid(string source, string message) => new($"{source}: {message}");
}
