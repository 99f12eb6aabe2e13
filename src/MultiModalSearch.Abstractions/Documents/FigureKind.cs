namespace MultiModalSearch.Abstractions.Documents;

/// <summary>What a figure region is made of.</summary>
public enum FigureKind
{
    /// <summary>One or more embedded raster images (and nothing drawn around them).</summary>
    Raster,
    /// <summary>Vector paths only (diagrams, plots drawn by the PDF itself), with any text labels among them.</summary>
    Vector,
    /// <summary>Raster images inside vector art.</summary>
    Mixed,
    /// <summary>Only text, set apart and captioned (a code listing captioned as a figure).</summary>
    Text,
    /// <summary>A table region (captioned "Table N", or ruled).</summary>
    Table,
    /// <summary>An image file referenced by a Markdown or HTML document.</summary>
    ImageFile,
}
