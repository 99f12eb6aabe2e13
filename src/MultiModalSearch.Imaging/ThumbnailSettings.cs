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

    public static ThumbnailSettings Default { get; } = new();
}
