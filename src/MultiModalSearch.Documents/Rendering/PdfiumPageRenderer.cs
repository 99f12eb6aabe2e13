using System.Drawing;
using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Imaging;
using PDFtoImage;
using PDFtoImage.Exceptions;
using SkiaSharp;

namespace MultiModalSearch.Documents.Rendering;

/// <summary>
/// Renders with PDFium (Chrome's PDF engine) through PDFtoImage: a region is rendered directly at its size (PDFium
/// clips to the bounds), so a 150-dpi figure crop costs milliseconds. PDFium is not thread-safe: one render at a time.
/// </summary>
public sealed class PdfiumPageRenderer : IPageRenderer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public string Name => "pdfium";

    public async Task<PageRender> RenderRegionAsync(string pdfPath, int page, BoundingBox? region, int dpi, CancellationToken cancellationToken = default)
    {
        RenderGeometry.Check(pdfPath, page, region, dpi);
        byte[] pdf = await File.ReadAllBytesAsync(pdfPath, cancellationToken);
        await Gate.WaitAsync(cancellationToken);
        try
        {
            return Render(pdfPath, pdf, page, region, dpi);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static PageRender Render(string pdfPath, byte[] pdf, int page, BoundingBox? region, int dpi)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PageRendererUnavailableException("this build renders PDF pages with PDFium on Linux only");
        }

        try
        {
            using var stream = new MemoryStream(pdf, writable: false);
            var size = Conversion.GetPageSize(stream, page - 1, leaveOpen: true);
            var box = region ?? new BoundingBox(0, 0, size.Width, size.Height);
            RenderGeometry.CheckPixels(pdfPath, box.Width, box.Height, dpi);
            stream.Position = 0;
            var options = new RenderOptions(Dpi: dpi, WithAnnotations: true,
                Bounds: region is null ? null : new RectangleF((float)box.Left, (float)box.Top, (float)box.Width, (float)box.Height),
                DpiRelativeToBounds: region is not null);
            using var bitmap = Conversion.ToImage(stream, page - 1, leaveOpen: true, password: null, options);
            return new PageRender(ToWebp(bitmap, pdfPath), bitmap.Width, bitmap.Height);
        }
        catch (PdfPasswordProtectedException e)
        {
            throw new DocumentRefusedException(pdfPath, DocumentRefusal.Encrypted, "the PDF is encrypted and opens only with a password", e);
        }
        catch (PdfPageNotFoundException e)
        {
            throw new DocumentRefusedException(pdfPath, DocumentRefusal.Corrupt, $"the PDF has no page {page}", e);
        }
        catch (PdfException e)
        {
            throw new DocumentRefusedException(pdfPath, DocumentRefusal.Corrupt, $"PDFium cannot render page {page} ({e.Message})", e);
        }
    }

    /// <summary>Skia's BGRA or RGBA pixels (opaque: PDFium paints on white) to RGB, then WebP through libvips.</summary>
    private static byte[] ToWebp(SKBitmap bitmap, string name)
    {
        int width = bitmap.Width, height = bitmap.Height;
        var source = bitmap.GetPixelSpan();
        int stride = bitmap.RowBytes;
        bool bgra = bitmap.ColorType == SKColorType.Bgra8888;
        var rgb = new byte[(long)width * height * 3];
        for (int y = 0; y < height; y++)
        {
            var row = source.Slice(y * stride, width * 4);
            int o = y * width * 3;
            for (int x = 0; x < width; x++, o += 3)
            {
                rgb[o] = row[x * 4 + (bgra ? 2 : 0)];
                rgb[o + 1] = row[x * 4 + 1];
                rgb[o + 2] = row[x * 4 + (bgra ? 0 : 2)];
            }
        }
        return WebpEncoder.FromPixels(rgb, width, height, 3, name);
    }
}
