using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Documents;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Documents;

/// <summary>Figures located from their captions on PDFs made in the test, where the drawing's position is known.</summary>
public class PdfFigureTests
{
    private static ExtractedDocument Extract(byte[] pdf)
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("figure.pdf");
        File.WriteAllBytes(path, pdf);
        return DocumentExtractor.Extract(path);
    }

    [Fact]
    public void Vector_drawing_above_its_caption_is_one_figure_covering_the_drawing()
    {
        var document = Extract(TestPdfs.VectorFigure());

        var figure = Assert.Single(document.Figures);
        Assert.Equal(FigureKind.Vector, figure.Kind);
        Assert.Equal("Figure 1: A drawing of three boxes", figure.Caption!.Text);
        Assert.Equal(("Figure", "1"), (figure.Caption.Label, figure.Caption.Number));
        var box = figure.Provenance.Box!.Value;
        var (left, top, right, bottom) = TestPdfs.DrawingBox;
        Assert.True(box.Contains(new BoundingBox(left, top, right, bottom), tolerance: 0.5), $"{box} does not cover the drawing");
        Assert.True(box.Height < 150, $"{box} reaches into the text around the drawing");
        // The labels inside the drawing are the figure's text, not body paragraphs; the caption is an item of its own.
        Assert.Contains("source", figure.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(document.Items, i => i.Text is "source" or "sink");
        var caption = document.Items[figure.Caption.ItemIndex];
        Assert.Equal(DocumentItemKind.Caption, caption.Kind);
        Assert.All(document.Items.Where(i => i.Kind == DocumentItemKind.Paragraph), i => Assert.False(i.Provenance.Box!.Value.Intersects(box)));
    }

    [Fact]
    public void Two_figures_sharing_one_caption_both_get_it()
    {
        var document = Extract(TestPdfs.SharedCaption());

        Assert.Equal(2, document.Figures.Count);
        Assert.All(document.Figures, f => Assert.Equal("Figure 2: Two shapes that share one caption", f.Caption?.Text));
        Assert.Same(document.Figures[0].Caption, document.Figures[1].Caption);
        Assert.Equal("(a) A circle drawn alone", document.Figures[0].SubCaption);
        Assert.Equal("(b) A square drawn alone", document.Figures[1].SubCaption);
        // The circle (centre x 200, radius 30) and the square (x 350-470) are cut apart at the gutter between them.
        Assert.InRange(document.Figures[0].Provenance.Box!.Value.Right, 220, 300);
        Assert.InRange(document.Figures[1].Provenance.Box!.Value.Left, 300, 351);
        Assert.Single(document.Captions);
    }

    [Fact]
    public void Caption_at_the_top_of_the_next_page_is_linked_to_the_drawing_before_it()
    {
        var document = Extract(TestPdfs.CaptionOnNextPage());

        var figure = Assert.Single(document.Figures);
        Assert.Equal(1, figure.Provenance.Page);
        Assert.Equal("Figure 3: The drawing on the page before", figure.Caption!.Text);
        Assert.Equal(2, figure.Caption.Provenance.Page);
        Assert.Empty(document.Warnings);
    }

    [Fact]
    public void Running_text_referring_to_a_figure_is_its_context()
    {
        var document = Extract(TestPdfs.VectorFigure());

        Assert.StartsWith("After the figure", Assert.Single(document.Figures).ContextText, StringComparison.Ordinal);
    }
}
