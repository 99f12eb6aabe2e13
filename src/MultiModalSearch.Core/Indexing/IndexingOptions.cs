using MultiModalSearch.Core.Crawling;
using MultiModalSearch.Imaging;
using MultiModalSearch.Models.Inference;

namespace MultiModalSearch.Core.Indexing;

/// <summary>What one indexing run does: which files, into which collection, and how hard it pushes.</summary>
public sealed record IndexingOptions
{
    public required IReadOnlyList<string> Roots { get; init; }

    public required string Collection { get; init; }

    /// <summary>The model id stored with the collection (a Hub id or the name the user gave); mixing models is refused.</summary>
    public required string ModelId { get; init; }

    /// <summary>What the model is (ModelFingerprint): a collection refuses another model under the same id, and accepts the same one under another.</summary>
    public string? ModelFingerprint { get; init; }

    public CrawlOptions Crawl { get; init; } = new();

    /// <summary>Mark indexed paths under the roots that the crawl no longer finds as removed.</summary>
    public bool Prune { get; init; }

    public PipelineOptions Pipeline { get; init; } = new();

    public ImageDecodeOptions Decode { get; init; } = ImageDecodeOptions.Default;

    /// <summary>Store a small WebP per content for the web page.</summary>
    public bool Thumbnails { get; init; } = true;

    /// <summary>How the previews are made (one set of settings for every path that makes one).</summary>
    public ThumbnailSettings Thumbnail { get; init; } = ThumbnailSettings.Default;

    /// <summary>Assets claimed per round trip (0: one batch, at most 64); their bytes are held until decoded.</summary>
    public int ClaimSize { get; init; }

    /// <summary>How long a claim protects an asset from other workers; a worker that dies loses its claims after this.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Identifies this process in claims; default host:pid:start-time, so a restarted run can tell its dead predecessor.</summary>
    public string? WorkerId { get; init; }
}
