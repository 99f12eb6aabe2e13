namespace MultiModalSearch.Imaging;

/// <summary>How every preview is made: the one place for its size and encoding settings.</summary>
public sealed record ThumbnailSettings
{
    /// <summary>Longest side in pixels; smaller images are not enlarged.</summary>
    public int Size { get; init; } = 256;

    /// <summary>WebP quality (0-100).</summary>
    public int Quality { get; init; } = 75;

    /// <summary>WebP effort 0: a quarter of the default effort's encoding time for files about a quarter larger (6 KiB at 256 px).</summary>
    public int Effort { get; init; }

    /// <summary>
    /// Images with transparency are saved lossless, the colours under their transparent pixels kept (WebP "exact").
    /// For figure crops: lossy WebP rewrites those hidden colours, and a model that drops alpha, as Hugging Face's LLaVA
    /// preprocessing does, sees them; the crop then shows such a model what the original file would have.
    /// </summary>
    public bool LosslessWithAlpha { get; init; }

    public static ThumbnailSettings Default { get; } = new();
}
