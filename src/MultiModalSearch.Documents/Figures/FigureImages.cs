using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Imaging;

namespace MultiModalSearch.Documents.Figures;

/// <summary>
/// A figure as a WebP image: a PDF figure's region rendered from its page (so vector drawings come out as drawn), a
/// Markdown/HTML figure's local image file re-encoded within the image limits (losslessly when it has transparency:
/// see <see cref="ThumbnailSettings.LosslessWithAlpha"/>).
/// </summary>
public static class FigureImages
{
    /// <summary>Points of page added around a PDF figure's box, so strokes on its edge are not cut.</summary>
    public const double Margin = 4;

    /// <returns>The crop, or null for a Markdown/HTML figure whose image is not a local file.</returns>
    /// <exception cref="DocumentRefusedException">The page cannot be rendered.</exception>
    /// <exception cref="ImageDecodeException">A referenced image file is corrupt or over the image limits.</exception>
    public static async Task<PageRender?> RenderAsync(ExtractedDocument document, DocumentFigure figure, IPageRenderer renderer, int dpi = 150,
        int maxImageSide = 1024, CancellationToken cancellationToken = default)
    {
        if (document.Format != DocumentFormat.Pdf)
        {
            if (figure.ImagePath is null)
                return null;
            byte[] data = await File.ReadAllBytesAsync(figure.ImagePath, cancellationToken);
            byte[] webp = new ThumbnailEncoder(new ThumbnailSettings { Size = maxImageSide, LosslessWithAlpha = true }, ImageDecodeOptions.Default).Encode(data, figure.ImagePath);
            var (width, height) = WebpEncoder.SizeOf(webp, figure.ImagePath);
            return new PageRender(webp, width, height);
        }
        var page = document.Pages[figure.Provenance.Page - 1];
        var box = figure.Provenance.Box!.Value.Inflate(Margin).ClipTo(page.Width, page.Height);
        return await renderer.RenderRegionAsync(document.Path, figure.Provenance.Page, box, dpi, cancellationToken);
    }
}
