using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Documents.Figures;
using MultiModalSearch.Documents.Layout;
using MultiModalSearch.Imaging;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;

namespace MultiModalSearch.Documents.Pdf;

/// <summary>
/// Reads one PdfPig page into words and graphic elements with boxes flipped to a top-left origin relative to the
/// crop box (what renderers draw). Images are checked against the pixel limit by their declared size, before anything
/// decodes them.
/// </summary>
internal static class PdfPageReader
{
    public static PdfPageContent Read(Page page, string path, DocumentExtractionOptions options, List<string> warnings)
    {
        var crop = page.CropBox.Bounds;
        var content = new PdfPageContent(page.Number, crop.Width, crop.Height);
        if (page.Rotation.Value != 0)
            warnings.Add($"page {page.Number} is rotated {page.Rotation.Value} degrees; its boxes are in the unrotated page");
        ReadWords(page, crop, content);
        ReadImages(page, crop, content, path, options);
        ReadPaths(page, crop, content, options, warnings);
        return content;
    }

    private static BoundingBox Flip(PdfRectangle r, PdfRectangle crop) =>
        new(Math.Min(r.Left, r.Right) - crop.Left, crop.Top - Math.Max(r.Top, r.Bottom),
            Math.Max(r.Left, r.Right) - crop.Left, crop.Top - Math.Min(r.Top, r.Bottom));

    private static void ReadWords(Page page, PdfRectangle crop, PdfPageContent content)
    {
        foreach (var word in page.GetWords())
        {
            if (string.IsNullOrWhiteSpace(word.Text) || word.Letters.Count == 0)
                continue;
            var first = word.Letters[0];
            string? font = first.FontName ?? word.FontName;
            bool bold = first.FontDetails?.IsBold == true || FontNames.IsBold(font);
            var box = Flip(word.BoundingBox, crop);
            double size = EffectiveSize(word, box);
            content.Words.Add(new TextWord(word.Text, box, Math.Round(size, 2), bold, FontNames.IsMonospace(font)));
        }
    }

    /// <summary>
    /// The size the text is seen at: the height of the font's ascent-to-descent box around the glyphs, which includes
    /// every scaling (a label in a scaled-down drawing is small, though its font was set at 12 points). Larger of
    /// the first and last letters, so a word starting with a small symbol is not taken for small text.
    /// </summary>
    private static double EffectiveSize(Word word, BoundingBox box)
    {
        double first = Math.Abs(word.Letters[0].GlyphRectangleLoose.Height), last = Math.Abs(word.Letters[^1].GlyphRectangleLoose.Height);
        double size = Math.Max(first, last);
        if (size > 0 && double.IsFinite(size))
            return size;
        return word.Letters[0].PointSize > 0 ? word.Letters[0].PointSize : Math.Max(1, box.Height);
    }

    private static void ReadImages(Page page, PdfRectangle crop, PdfPageContent content, string path, DocumentExtractionOptions options)
    {
        var limits = new ImageDecodeOptions { MaxPixels = options.MaxImagePixels };
        foreach (var image in page.GetImages())
        {
            try
            {
                ImageLimits.CheckPixels(image.WidthInSamples, image.HeightInSamples, limits, $"image on page {page.Number}");
            }
            catch (ImageDecodeException e)
            {
                throw new DocumentRefusedException(path, DocumentRefusal.ImageTooLarge,
                    $"an embedded image on page {page.Number} declares {image.WidthInSamples}x{image.HeightInSamples} pixels, over the limit of {options.MaxImagePixels} (DocumentExtractionOptions.MaxImagePixels): a decompression bomb or an absurd scan; refused before decoding", e);
            }
            var box = Flip(image.BoundingBox, crop).ClipTo(content.Width, content.Height);
            if (box.Area <= 0)
                continue;
            content.Graphics.Add(new GraphicElement(box, GraphicKind.Image));
            content.ImageArea += box.Area;
        }
    }

    /// <summary>A white area painted without an outline: invisible on white paper, and often a slide's whole background.</summary>
    private static bool IsWhiteFillOnly(UglyToad.PdfPig.Graphics.PdfPath path)
    {
        if (!path.IsFilled || path.IsStroked || path.FillColor is null)
            return false;
        try
        {
            var (r, g, b) = path.FillColor.ToRGBValues();
            return r >= 0.98 && g >= 0.98 && b >= 0.98;
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or ArgumentException)
        {
            return false;
        }
    }

    private static void ReadPaths(Page page, PdfRectangle crop, PdfPageContent content, DocumentExtractionOptions options, List<string> warnings)
    {
        double pageArea = content.Width * content.Height;
        int kept = 0;
        BoundingBox? all = null;
        foreach (var path in page.Paths)
        {
            if (path.IsClipping || (!path.IsFilled && !path.IsStroked) || IsWhiteFillOnly(path))
                continue;
            var rect = path.GetBoundingRectangle();
            if (rect is null)
                continue;
            var box = Flip(rect.Value, crop).ClipTo(content.Width, content.Height);
            if (box.Width <= 0 && box.Height <= 0)
                continue;
            if (box.Area > 0.9 * pageArea)
                continue; // a page background, not a drawing
            all = all is null ? box : all.Value.Union(box);
            if (++kept <= options.MaxPathsPerPage)
                content.Graphics.Add(new GraphicElement(box, GraphicKind.Path));
        }
        if (kept > options.MaxPathsPerPage && all is not null)
        {
            // Over the bound, the page's drawing is taken whole: one region instead of path-by-path clusters.
            content.Graphics.RemoveAll(g => g.Kind == GraphicKind.Path);
            content.Graphics.Add(new GraphicElement(all.Value, GraphicKind.Path));
            warnings.Add($"page {content.Number} has {kept} vector paths, over the limit of {options.MaxPathsPerPage} (DocumentExtractionOptions.MaxPathsPerPage); its drawings were taken as one region");
        }
    }
}
