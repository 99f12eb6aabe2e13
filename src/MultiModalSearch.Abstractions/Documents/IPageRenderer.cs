namespace MultiModalSearch.Abstractions.Documents;

/// <summary>Rasterises PDF pages and page regions (figure crops, page images for a viewer).</summary>
public interface IPageRenderer
{
    /// <summary>Which implementation renders ("pdfium", "pdftoppm"), for logs and reports.</summary>
    string Name { get; }

    /// <summary>
    /// Renders <paramref name="region"/> (PDF points, top-left origin; null for the whole page) of physical page
    /// <paramref name="page"/> (1-based) at <paramref name="dpi"/>, as WebP.
    /// </summary>
    /// <exception cref="DocumentRefusedException">The file cannot be rendered, or the render would exceed the pixel limit.</exception>
    Task<PageRender> RenderRegionAsync(string pdfPath, int page, BoundingBox? region, int dpi, CancellationToken cancellationToken = default);
}
