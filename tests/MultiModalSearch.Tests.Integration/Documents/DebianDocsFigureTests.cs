using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Documents;
using MultiModalSearch.Testing;
using UglyToad.PdfPig;

namespace MultiModalSearch.Tests.Documents;

/// <summary>
/// Figure extraction on real manuals with vector drawings, screenshots and a composite of 27 raster icons in vector
/// art: every numbered caption gets its figure on the right page, and the figures cover every drawing on those pages.
/// </summary>
public class DebianDocsFigureTests
{
    /// <summary>Every numbered caption in the four manuals, read off the pages (page: physical, 1-based).</summary>
    public static TheoryData<string, int, string> Captions()
    {
        var data = new TheoryData<string, int, string>();
        int[] dot = [3, 3, 5, 5, 7, 7, 7, 10, 10, 10, 16, 17, 20, 20, 21, 21, 22, 22, 23, 25, 26, 27];
        for (int i = 0; i < dot.Length; i++)
            data.Add("dotguide.pdf", dot[i], $"Figure {i + 1}");
        int[] neato = [3, 3, 4, 5, 6, 7, 9, 9];
        for (int i = 0; i < neato.Length; i++)
            data.Add("neatoguide.pdf", neato[i], $"Figure {i + 1}");
        data.Add("neatoguide.pdf", 10, "Table 1");
        int[] smyrna = [5, 9, 10, 12, 13, 14, 15, 16, 17, 18, 18, 19, 20];
        for (int i = 0; i < smyrna.Length; i++)
            data.Add("smyrna.pdf", smyrna[i], $"Figure {i + 1}");
        int[] gs = [5, 14, 18, 19, 20, 21, 39];
        for (int i = 0; i < gs.Length; i++)
            data.Add("GS9_Color_Management.pdf", gs[i], $"Figure {i + 1}");
        return data;
    }

    private static readonly Dictionary<string, ExtractedDocument> Extracted = [];

    private static ExtractedDocument Extract(string name)
    {
        lock (Extracted)
        {
            if (!Extracted.TryGetValue(name, out var document))
                Extracted[name] = document = DocumentExtractor.Extract(DebianDocs.PathOf(name));
            return document;
        }
    }

    [Theory]
    [MemberData(nameof(Captions))]
    public void Numbered_caption_gets_its_figure_on_its_page(string name, int page, string reference)
    {
        var document = Extract(name);

        var figures = document.Figures.Where(f => f.Caption?.Reference == reference).ToList();
        Assert.NotEmpty(figures);
        Assert.All(figures, f => Assert.Equal(page, f.Provenance.Page));
        Assert.All(figures, f => Assert.Equal(page, f.Caption!.Provenance.Page));
        foreach (var figure in figures)
        {
            var box = figure.Provenance.Box!.Value;
            Assert.True(box.Width >= 40 && box.Height >= 20, $"{reference}: {box} is too small for a figure");
            // The region holds the figure only: no paragraph of running text and not its own caption.
            Assert.DoesNotContain(document.Items, i => i.Provenance.Page == page && i.Kind == DocumentItemKind.Paragraph && Overlap(i.Provenance.Box!.Value, box) > 0.2);
            Assert.False(box.Intersects(figure.Caption!.Provenance.Box!.Value), $"{reference}: {box} covers its caption");
        }
    }

    [Fact]
    public void Figures_sharing_a_caption_each_get_it()
    {
        var document = Extract("GS9_Color_Management.pdf");

        foreach (string reference in new[] { "Figure 4", "Figure 5" })
        {
            var parts = document.Figures.Where(f => f.Caption?.Reference == reference).ToList();
            Assert.Equal(2, parts.Count);
            Assert.StartsWith("(a)", parts[0].SubCaption, StringComparison.Ordinal);
            Assert.StartsWith("(b)", parts[1].SubCaption, StringComparison.Ordinal);
            Assert.True(parts[0].Provenance.Box!.Value.Right <= parts[1].Provenance.Box!.Value.Left + 1);
        }
    }

    [Fact]
    public void Composite_figure_of_raster_icons_in_vector_art_is_one_figure_holding_all_27_icons()
    {
        string path = DebianDocs.PathOf("GS9_Color_Management.pdf");
        var document = Extract("GS9_Color_Management.pdf");

        var figure = Assert.Single(document.Figures, f => f.Caption?.Reference == "Figure 1");
        Assert.Equal(FigureKind.Mixed, figure.Kind);
        using var pdf = PdfDocument.Open(path);
        var page = pdf.GetPage(5);
        var icons = page.GetImages().Select(i => ToTopLeft(i.BoundingBox, page)).ToList();
        Assert.Equal(27, icons.Count);
        Assert.All(icons, icon => Assert.True(figure.Provenance.Box!.Value.Contains(icon, 0.5), $"icon {icon} outside {figure.Provenance.Box}"));
        Assert.Contains("ICC Manager", figure.Text, StringComparison.Ordinal);
    }

    /// <summary>
    /// Read with PdfPig directly, independently of the extractor: on every page with a captioned figure, every visible
    /// drawn element of some size (paths, images) lies inside a figure region, so no part of a drawing is cut off.
    /// </summary>
    [Theory]
    [InlineData("dotguide.pdf")]
    [InlineData("neatoguide.pdf")]
    [InlineData("smyrna.pdf")]
    [InlineData("GS9_Color_Management.pdf")]
    public void Figure_regions_cover_every_drawing_on_their_pages(string name)
    {
        string path = DebianDocs.PathOf(name);
        var document = Extract(name);
        using var pdf = PdfDocument.Open(path);
        int checkedElements = 0;
        foreach (int number in document.Figures.Where(f => f.Caption is not null).Select(f => f.Provenance.Page).Distinct())
        {
            var page = pdf.GetPage(number);
            var regions = document.Figures.Where(f => f.Provenance.Page == number).Select(f => f.Provenance.Box!.Value).ToList();
            var elements = page.Paths
                .Where(p => !p.IsClipping && (p.IsStroked || (p.IsFilled && !IsWhite(p))))
                .Select(p => p.GetBoundingRectangle()).OfType<UglyToad.PdfPig.Core.PdfRectangle>().Select(r => ToTopLeft(r, page))
                .Concat(page.GetImages().Select(i => ToTopLeft(i.BoundingBox, page)))
                .Where(b => b.Width * b.Height >= 150 && b.Area < 0.9 * 612 * 792);
            foreach (var element in elements)
            {
                checkedElements++;
                Assert.True(regions.Any(r => r.Contains(element, 1)), $"{name} page {number}: drawn element {element} lies outside every figure region ({string.Join(", ", regions)})");
            }
        }
        Assert.True(checkedElements > 10, $"only {checkedElements} elements checked");
    }

    [Fact]
    public void Headings_and_reading_order_of_dotguide()
    {
        var document = Extract("dotguide.pdf");

        Assert.Equal("Drawing graphs with dot", document.Title);
        var headings = document.Items.Where(i => i.Kind == DocumentItemKind.Heading).ToList();
        Assert.Contains(headings, h => h is { Text: "1 Basic Graph Drawing", HeadingLevel: 2 } && h.Provenance.Page == 2);
        Assert.Contains(headings, h => h.Text == "2.1 Node Shapes" && h.HeadingLevel > 2);
        Assert.True(headings.FindIndex(h => h.Text == "1 Basic Graph Drawing") < headings.FindIndex(h => h.Text == "2 Drawing Attributes"));
        Assert.DoesNotContain(document.Items, i => i.Kind == DocumentItemKind.Paragraph && i.Text.StartsWith("dot User", StringComparison.Ordinal));
        Assert.Contains(document.Items, i => i.Kind == DocumentItemKind.PageHeader && i.Text.StartsWith("dot User", StringComparison.Ordinal));
        // A listing captioned as a figure is text as well as a figure: kept whole, line by line.
        Assert.Contains(document.Items, i => i.Kind == DocumentItemKind.Code && i.Text.Contains("main -> parse -> execute;", StringComparison.Ordinal));
        Assert.All(document.Pages, p => Assert.Equal(PageTextLayer.Text, p.TextLayer));
    }

    private static bool IsWhite(UglyToad.PdfPig.Graphics.PdfPath path)
    {
        if (path.FillColor is null)
            return false;
        var (r, g, b) = path.FillColor.ToRGBValues();
        return r >= 0.98 && g >= 0.98 && b >= 0.98;
    }

    private static BoundingBox ToTopLeft(UglyToad.PdfPig.Core.PdfRectangle r, UglyToad.PdfPig.Content.Page page)
    {
        var crop = page.CropBox.Bounds;
        return new BoundingBox(Math.Min(r.Left, r.Right) - crop.Left, crop.Top - Math.Max(r.Top, r.Bottom), Math.Max(r.Left, r.Right) - crop.Left, crop.Top - Math.Min(r.Top, r.Bottom));
    }

    private static double Overlap(BoundingBox a, BoundingBox b)
    {
        double w = Math.Min(a.Right, b.Right) - Math.Max(a.Left, b.Left), h = Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Top, b.Top);
        return w <= 0 || h <= 0 ? 0 : w * h / Math.Max(1, a.Area);
    }
}
