namespace MultiModalSearch.Abstractions.Documents;

/// <summary>
/// Bounds on the work one document may cost. Every limit refuses or bounds with a message naming the limit, so a
/// hostile file costs at most these, never the process.
/// </summary>
public sealed record DocumentExtractionOptions
{
    public static DocumentExtractionOptions Default { get; } = new();

    /// <summary>Documents with more pages are refused before any page is read.</summary>
    public int MaxPages { get; init; } = 2000;

    /// <summary>Files larger than this are refused before they are parsed.</summary>
    public long MaxFileBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>
    /// Pages with more vector paths than this are not clustered path by path: their drawings are taken as one region
    /// (a warning says so). Clustering itself is linear in paths, so this bounds memory, not a quadratic blow-up.
    /// </summary>
    public int MaxPathsPerPage { get; init; } = 20_000;

    /// <summary>An embedded image whose declared width x height exceeds this refuses the document (a decompression bomb).</summary>
    public long MaxImagePixels { get; init; } = 178_956_970; // Pillow's MAX_IMAGE_PIXELS, as ImageDecodeOptions

    /// <summary>Extraction past this time is abandoned between pages and the document refused.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}
