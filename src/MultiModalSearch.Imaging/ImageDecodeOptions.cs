namespace MultiModalSearch.Imaging;

/// <summary>Limits and speed/accuracy trade-offs for decoding untrusted images.</summary>
public sealed record ImageDecodeOptions
{
    /// <summary>
    /// Maximum number of pixels actually decoded (after JPEG shrink-on-load). 100 MP admits every
    /// current camera sensor at full resolution (~300 MB as RGB) while refusing decompression bombs,
    /// which claim billions of pixels in a few kilobytes. Pillow warns at 89 MP and fails at 179 MP.
    /// </summary>
    public long MaxPixels { get; init; } = 100_000_000;

    /// <summary>Maximum encoded size in bytes; 256 MB is beyond any real photo but bounds memory for uploads.</summary>
    public long MaxFileBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// When true, JPEGs are always decoded at full resolution (bit-for-bit the reference path).
    /// When false, large JPEGs are decoded with libjpeg's DCT scaling (1/2, 1/4, 1/8) as long as
    /// the decoded shortest side stays at least <see cref="ShrinkOnLoadMinFactor"/> times the target.
    /// </summary>
    public bool ExactDecode { get; init; }

    /// <summary>
    /// How much larger than the resize target the shrunk JPEG must stay on its shortest side. At 2x
    /// the subsequent antialiased bicubic still averages over at least 2 decoded pixels per output
    /// pixel, which keeps the result within a few 8-bit levels of the exact path.
    /// </summary>
    public double ShrinkOnLoadMinFactor { get; init; } = 2.0;

    /// <summary>Apply EXIF orientation (1..8) so the pixels are upright, as a viewer shows them.</summary>
    public bool ApplyExifOrientation { get; init; } = true;

    public static ImageDecodeOptions Default { get; } = new();
}
