using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Core.Indexing;

namespace MultiModalSearch.Core.Ingestion;

/// <summary>
/// What one ingestion run does: the indexing run it shares with <c>mms index</c> (roots, collection, CLIP model, prune,
/// claims) and what is particular to documents.
/// </summary>
public sealed record DocumentIngestionOptions
{
    /// <summary>Roots, collection, model id, prune, pipeline: as for images. Its crawl's name filter is set to documents.</summary>
    public required IndexingOptions Indexing { get; init; }

    public DocumentExtractionOptions Extraction { get; init; } = DocumentExtractionOptions.Default;

    /// <summary>Most tokens in a passage (the text model's own count); capped by what the text model reads.</summary>
    public int PassageTokens { get; init; } = 256;

    /// <summary>Tokens repeated from the previous passage of the same section.</summary>
    public int PassageOverlap { get; init; } = 32;

    /// <summary>Resolution of the figure crops (150 dpi: legible labels, a few hundred KB of pixels per figure).</summary>
    public int FigureDpi { get; init; } = 150;

    /// <summary>The longest side of a crop, in pixels; larger figures are rendered at a lower resolution.</summary>
    public int MaxFigureSide { get; init; } = 1024;
}
