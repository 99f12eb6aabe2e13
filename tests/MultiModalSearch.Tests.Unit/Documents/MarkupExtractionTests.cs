using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Documents;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Documents;

/// <summary>Markdown, HTML and plain text: headings, paragraphs, spans, figures with alt text and captions, local images only.</summary>
public class MarkupExtractionTests
{
    [Fact]
    public void Markdown_headings_paragraphs_tables_and_figures_with_captions()
    {
        using var dir = new TemporaryDirectory();
        File.WriteAllBytes(dir.File("graph.jpg"), TestJpeg.Plain());
        string markdown = """
            # Drawing graphs

            Graphs are drawn in four phases.

            ![A small directed graph](graph.jpg "The small graph")

            *Figure 2: Drawing of small graph*

            ## Attributes

            | Name | Default |
            |------|---------|
            | shape | ellipse |

            ![remote](https://example.org/x.png)
            ![escape](../secret.png)
            """;
        string path = dir.File("guide.md");
        File.WriteAllText(path, markdown);

        var document = DocumentExtractor.Extract(path);

        Assert.Equal(DocumentFormat.Markdown, document.Format);
        Assert.Equal("Drawing graphs", document.Title);
        Assert.Equal([(DocumentItemKind.Heading, 1), (DocumentItemKind.Heading, 2)],
            document.Items.Where(i => i.Kind == DocumentItemKind.Heading).Select(i => (i.Kind, i.HeadingLevel)));
        var paragraph = document.Items.Single(i => i.Text == "Graphs are drawn in four phases.");
        Assert.Equal("Graphs are drawn in four phases.", markdown.Substring(paragraph.Provenance.Span!.Value.Start, paragraph.Provenance.Span.Value.Length));
        Assert.Contains(document.Items, i => i.Kind == DocumentItemKind.Table && i.Text == "Name | Default\nshape | ellipse");

        var figure = document.Figures[0];
        Assert.Equal(FigureKind.ImageFile, figure.Kind);
        Assert.Equal("A small directed graph", figure.AltText);
        Assert.Equal("The small graph", figure.SubCaption);
        Assert.Equal(dir.File("graph.jpg"), figure.ImagePath);
        Assert.Equal("Figure 2: Drawing of small graph", figure.Caption!.Text);
        Assert.Equal(DocumentItemKind.Caption, document.Items[figure.Caption.ItemIndex].Kind);
        // Images are never fetched, and never read from outside the document's folder.
        Assert.Equal(3, document.Figures.Count);
        Assert.Null(document.Figures[1].ImagePath);
        Assert.Null(document.Figures[2].ImagePath);
        Assert.Contains(document.Warnings, w => w.Contains("not a local file; it is not fetched", StringComparison.Ordinal));
        Assert.Contains(document.Warnings, w => w.Contains("outside the document's folder", StringComparison.Ordinal));
    }

    [Fact]
    public void Html_figure_with_two_images_gives_both_the_caption_and_lone_images_take_the_caption_next_to_them()
    {
        using var dir = new TemporaryDirectory();
        File.WriteAllBytes(dir.File("a.jpg"), TestJpeg.Plain());
        File.WriteAllBytes(dir.File("b.jpg"), TestJpeg.Plain());
        string html = """
            <!DOCTYPE html><html><head><title>Colour guide</title><script>alert('x')</script></head>
            <body><nav>Home | About</nav>
            <h1>Colour management</h1>
            <p>Profiles map <b>device</b> colours.</p>
            <figure><img src="a.jpg" alt="Source profiles"><img src="b.jpg" alt="Rendering intents">
              <figcaption>Figure 4: Examples of object based colour transformations</figcaption></figure>
            <div><img src="a.jpg" alt="Overview"><p class="caption">Figure 5: The overview</p></div>
            <ul><li>First point</li><li>Second point</li></ul>
            <table><tr><th>Name</th><th>Default</th></tr><tr><td>shape</td><td>ellipse</td></tr></table>
            </body></html>
            """;
        string path = dir.File("guide.html");
        File.WriteAllText(path, html);

        var document = DocumentExtractor.Extract(path);

        Assert.Equal(DocumentFormat.Html, document.Format);
        Assert.Equal("Colour guide", document.Title);
        Assert.Equal(3, document.Figures.Count);
        Assert.Equal("Figure 4: Examples of object based colour transformations", document.Figures[0].Caption!.Text);
        Assert.Same(document.Figures[0].Caption, document.Figures[1].Caption);
        Assert.Equal(["Source profiles", "Rendering intents", "Overview"], document.Figures.Select(f => f.AltText));
        Assert.Equal("Figure 5: The overview", document.Figures[2].Caption!.Text);
        Assert.Equal(dir.File("b.jpg"), document.Figures[1].ImagePath);
        Assert.Contains(document.Items, i => i is { Kind: DocumentItemKind.Heading, HeadingLevel: 1, Text: "Colour management" });
        Assert.Contains(document.Items, i => i is { Kind: DocumentItemKind.Paragraph, Text: "Profiles map device colours." });
        Assert.Equal(2, document.Items.Count(i => i.Kind == DocumentItemKind.ListItem));
        Assert.Contains(document.Items, i => i is { Kind: DocumentItemKind.Table, Text: "Name | Default\nshape | ellipse" });
        Assert.DoesNotContain(document.Items, i => i.Text.Contains("alert", StringComparison.Ordinal) || i.Text.Contains("About", StringComparison.Ordinal));
        Assert.Single(document.Items, i => i.Text == "Figure 5: The overview");
    }

    [Fact]
    public void Plain_text_paragraphs_keep_their_spans()
    {
        using var dir = new TemporaryDirectory();
        string text = "Colour Notes\n============\n\nFirst paragraph\nwraps here.\n\r\nSecond one.\n";
        string path = dir.File("notes.txt");
        File.WriteAllText(path, text);

        var document = DocumentExtractor.Extract(path);

        Assert.Equal(DocumentFormat.PlainText, document.Format);
        Assert.Equal(["Colour Notes", "First paragraph wraps here.", "Second one."], document.Items.Select(i => i.Text));
        Assert.Equal(DocumentItemKind.Heading, document.Items[0].Kind);
        var span = document.Items[1].Provenance.Span!.Value;
        Assert.Equal("First paragraph\nwraps here.", text.Substring(span.Start, span.Length));
    }

    [Fact]
    public void Html_without_an_html_extension_is_read_as_html_by_its_content()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("page");
        File.WriteAllText(path, "<!doctype html><html><body><h2>Sniffed</h2><p>By content.</p></body></html>");

        var document = DocumentExtractor.Extract(path);

        Assert.Equal(DocumentFormat.Html, document.Format);
        Assert.Equal("Sniffed", document.Items[0].Text);
    }
}
