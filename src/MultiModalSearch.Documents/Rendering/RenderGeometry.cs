using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Imaging;

namespace MultiModalSearch.Documents.Rendering;

/// <summary>Checks shared by the renderers: sensible arguments, and a pixel count within the image limits before rendering.</summary>
internal static class RenderGeometry
{
    public const int MinDpi = 18;

    public const int MaxDpi = 1200;

    public static void Check(string pdfPath, int page, BoundingBox? region, int dpi)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dpi, MinDpi);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dpi, MaxDpi);
        if (region is { } r && (r.Width <= 0 || r.Height <= 0))
            throw new ArgumentException($"the region {r} is empty", nameof(region));
        if (!File.Exists(pdfPath))
            throw new DocumentRefusedException(pdfPath, DocumentRefusal.Unreadable, "the file does not exist");
    }

    /// <summary>Refuses a render larger than the decode limit (a 200-inch page at 600 dpi), before any pixel is drawn.</summary>
    public static void CheckPixels(string pdfPath, double widthPoints, double heightPoints, int dpi)
    {
        long width = (long)Math.Ceiling(widthPoints * dpi / 72), height = (long)Math.Ceiling(heightPoints * dpi / 72);
        try
        {
            ImageLimits.CheckPixels(width, height, ImageDecodeOptions.Default, $"{pdfPath} render");
        }
        catch (ImageDecodeException e)
        {
            throw new DocumentRefusedException(pdfPath, DocumentRefusal.ImageTooLarge,
                $"a {width}x{height} render at {dpi} dpi is over the pixel limit of {ImageDecodeOptions.Default.MaxPixels}; render a smaller region or at a lower dpi", e);
        }
    }
}
