using MultiModalSearch.Abstractions.Documents;

namespace MultiModalSearch.Documents.Rendering;

/// <summary>
/// PDFium first; if its native library cannot load on this machine, poppler's pdftoppm from then on. Only a renderer
/// that cannot run at all is replaced: a document PDFium refuses is refused, not retried.
/// </summary>
public sealed class FallbackPageRenderer : IPageRenderer
{
    private readonly IPageRenderer primary;
    private readonly IPageRenderer fallback;
    private volatile IPageRenderer current;

    public FallbackPageRenderer(IPageRenderer primary, IPageRenderer fallback)
    {
        this.primary = primary;
        this.fallback = fallback;
        current = primary;
    }

    /// <summary>The default: PDFium through PDFtoImage, falling back to pdftoppm.</summary>
    public static FallbackPageRenderer CreateDefault() => new(new PdfiumPageRenderer(), new PopplerPageRenderer());

    public string Name => current.Name;

    /// <summary>Why the primary renderer was given up, or null while it works.</summary>
    public string? FallbackReason { get; private set; }

    public async Task<PageRender> RenderRegionAsync(string pdfPath, int page, BoundingBox? region, int dpi, CancellationToken cancellationToken = default)
    {
        var renderer = current;
        try
        {
            return await renderer.RenderRegionAsync(pdfPath, page, region, dpi, cancellationToken);
        }
        catch (Exception e) when (renderer == primary && IsUnavailable(e))
        {
            FallbackReason = $"{primary.Name} cannot load ({e.GetType().Name}: {e.Message}); rendering with {fallback.Name}";
            current = fallback;
            return await fallback.RenderRegionAsync(pdfPath, page, region, dpi, cancellationToken);
        }
    }

    private static bool IsUnavailable(Exception e) =>
        e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or PageRendererUnavailableException
        || (e is TypeInitializationException t && t.InnerException is not null && IsUnavailable(t.InnerException));
}
