using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Documents;
using MultiModalSearch.Documents.Figures;
using MultiModalSearch.Documents.Rendering;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Documents;

/// <summary>Figure crops and page renders through PDFium and through poppler's pdftoppm (a child process), as WebP.</summary>
public class PageRendererTests
{
    public static TheoryData<string> Renderers() => ["pdfium", "pdftoppm"];

    private static IPageRenderer Create(string name) => name == "pdfium" ? new PdfiumPageRenderer() : new PopplerPageRenderer();

    [Theory]
    [MemberData(nameof(Renderers))]
    public async Task Figure_crop_is_the_region_at_the_asked_resolution_and_shows_the_drawing(string renderer)
    {
        var document = DocumentExtractor.Extract(DebianDocs.PathOf("dotguide.pdf"));
        var figure = document.Figures.Single(f => f.Caption?.Reference == "Figure 2");

        var crop = await FigureImages.RenderAsync(document, figure, Create(renderer), dpi: 150);

        var box = figure.Provenance.Box!.Value.Inflate(FigureImages.Margin);
        Assert.InRange(crop!.Width, box.Width * 150 / 72 - 2, box.Width * 150 / 72 + 2);
        Assert.InRange(crop.Height, box.Height * 150 / 72 - 2, box.Height * 150 / 72 + 2);
        using var image = NetVips.Image.NewFromBuffer(crop.Webp);
        Assert.Equal("webpload_buffer", image.Get("vips-loader"));
        Assert.Equal((crop.Width, crop.Height), (image.Width, image.Height));
        Assert.True(image.Min() < 60, "the crop has no dark pixels: the drawing is missing");
        Assert.True(image.Avg() > 200, "the crop is mostly dark: not a line drawing on white");
    }

    [Theory]
    [MemberData(nameof(Renderers))]
    public async Task Whole_page_renders_at_the_page_size(string renderer)
    {
        var render = await Create(renderer).RenderRegionAsync(DebianDocs.PathOf("neatoguide.pdf"), 3, null, 72);

        Assert.InRange(render.Width, 611, 613);
        Assert.InRange(render.Height, 791, 793);
    }

    [Theory]
    [MemberData(nameof(Renderers))]
    public async Task Render_over_the_pixel_limit_is_refused_before_drawing(string renderer)
    {
        var refused = await Assert.ThrowsAsync<DocumentRefusedException>(() =>
            Create(renderer).RenderRegionAsync(DebianDocs.PathOf("neatoguide.pdf"), 1, new BoundingBox(0, 0, 612, 792), 1200));

        Assert.Equal(DocumentRefusal.ImageTooLarge, refused.Reason);
    }

    [Fact]
    public async Task Fallback_renderer_switches_to_pdftoppm_when_the_first_cannot_load()
    {
        var renderer = new FallbackPageRenderer(new UnloadableRenderer(), new PopplerPageRenderer());

        var render = await renderer.RenderRegionAsync(DebianDocs.PathOf("neatoguide.pdf"), 3, new BoundingBox(100, 100, 300, 200), 72);

        Assert.Equal((200, 100), (render.Width, render.Height));
        Assert.Equal("pdftoppm", renderer.Name);
        Assert.Contains("cannot load", renderer.FallbackReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markdown_figure_is_its_image_file_reencoded()
    {
        using var dir = new TemporaryDirectory();
        File.WriteAllBytes(dir.File("shape.jpg"), TestJpeg.Plain(320, 200));
        File.WriteAllText(dir.File("doc.md"), "# Shapes\n\n![a shape](shape.jpg)\n");
        var document = DocumentExtractor.Extract(dir.File("doc.md"));

        var crop = await FigureImages.RenderAsync(document, document.Figures[0], new PdfiumPageRenderer());

        Assert.Equal((320, 200), (crop!.Width, crop.Height));
    }

    private sealed class UnloadableRenderer : IPageRenderer
    {
        public string Name => "broken";

        public Task<PageRender> RenderRegionAsync(string pdfPath, int page, BoundingBox? region, int dpi, CancellationToken cancellationToken = default) =>
            throw new DllNotFoundException("libpdfium.so: cannot open shared object file");
    }
}
