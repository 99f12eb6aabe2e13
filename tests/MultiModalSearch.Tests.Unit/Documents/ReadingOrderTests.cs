using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Documents;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Documents;

public class ReadingOrderTests
{
    [Fact]
    public void Two_column_page_reads_title_then_left_column_then_right_column()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("two-columns.pdf");
        File.WriteAllBytes(path, TestPdfs.TwoColumns(linesPerColumn: 12));

        var document = DocumentExtractor.Extract(path);

        string text = string.Join("\n", document.Items.Select(i => i.Text));
        var markers = System.Text.RegularExpressions.Regex.Matches(text, @"(Leftcol|Rightcol)\d\d").Select(m => m.Value).ToList();
        var expected = Enumerable.Range(1, 12).Select(i => $"Leftcol{i:00}").Concat(Enumerable.Range(1, 12).Select(i => $"Rightcol{i:00}")).ToList();
        Assert.Equal(expected, markers);
        Assert.Equal(DocumentItemKind.Heading, document.Items[0].Kind);
        Assert.Equal("A Study of Two Column Reading Order", document.Items[0].Text);
    }

    [Fact]
    public void Boxes_have_a_top_left_origin_in_points()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("two-columns.pdf");
        File.WriteAllBytes(path, TestPdfs.TwoColumns(linesPerColumn: 3));

        var document = DocumentExtractor.Extract(path);

        // The title's baseline is at y = 720 from the bottom of a 792-point page: 72 points from the top.
        var title = document.Items[0].Provenance;
        Assert.Equal(1, title.Page);
        Assert.InRange(title.Box!.Value.Bottom, 72, 77);
        Assert.InRange(title.Box.Value.Top, 55, 72);
        var left = document.Items.First(i => i.Text.Contains("Leftcol01", StringComparison.Ordinal)).Provenance.Box!.Value;
        var right = document.Items.First(i => i.Text.Contains("Rightcol01", StringComparison.Ordinal)).Provenance.Box!.Value;
        Assert.InRange(left.Left, 53, 55);
        Assert.InRange(right.Left, 317, 319);
        Assert.True(left.Top > title.Box.Value.Bottom);
        Assert.Equal(612, document.Pages[0].Width);
        Assert.Equal(792, document.Pages[0].Height);
    }
}
