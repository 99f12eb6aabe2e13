using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Documents.Passages;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Documents;

public class PassageChunkerTests
{
    private static DocumentItem Item(int index, DocumentItemKind kind, string text, int level = 0, int page = 1) =>
        new(index, kind, text, level, new Provenance(page, new BoundingBox(72, 100 + index * 20, 540, 115 + index * 20)));

    private static ExtractedDocument Document(params DocumentItem[] items) =>
        new("/docs/manual.pdf", DocumentFormat.Pdf, "Manual", [new DocumentPage(1, 612, 792, PageTextLayer.Text, 100), new DocumentPage(2, 612, 792, PageTextLayer.Text, 100)], items, [], []);

    private static string Sentences(string prefix, int count, int wordsEach) =>
        string.Join(" ", Enumerable.Range(1, count).Select(i => $"{prefix}{i} " + string.Join(" ", Enumerable.Repeat("word", wordsEach - 2)) + " end."));

    [Fact]
    public void Passages_fit_the_budget_and_overlap_by_whole_sentences()
    {
        var counter = new WordTokenCounter();
        var document = Document(Item(0, DocumentItemKind.Heading, "Intro", 1), Item(1, DocumentItemKind.Paragraph, Sentences("S", 20, 10)));

        var passages = PassageChunker.Chunk(document, counter, budget: 50, overlap: 12);

        Assert.True(passages.Count >= 4);
        Assert.All(passages, p => Assert.InRange(p.TokenCount, 1, 50));
        Assert.All(passages, p => Assert.Equal(counter.CountTokens(p.Text), p.TokenCount));
        for (int i = 1; i < passages.Count; i++)
        {
            // The next passage starts with the last sentence of the one before it.
            string lastSentence = passages[i - 1].Text.Split('\n')[^1];
            Assert.StartsWith(lastSentence, passages[i].Text, StringComparison.Ordinal);
        }
        var all = string.Join(" ", passages.Select(p => p.Text));
        Assert.All(Enumerable.Range(1, 20), i => Assert.Contains($"S{i} ", all, StringComparison.Ordinal));
        Assert.All(passages, p => Assert.Equal(["Intro"], p.HeadingPath));
    }

    [Fact]
    public void Passages_never_cross_a_heading_and_carry_the_heading_path()
    {
        var document = Document(
            Item(0, DocumentItemKind.Heading, "1 Drawing", 1),
            Item(1, DocumentItemKind.Paragraph, "dot draws directed graphs."),
            Item(2, DocumentItemKind.Heading, "1.1 Shapes", 2),
            Item(3, DocumentItemKind.Paragraph, "Nodes are ellipses by default."),
            Item(4, DocumentItemKind.PageHeader, "dot User's Manual 3"),
            Item(5, DocumentItemKind.Heading, "2 Layout", 1, page: 2),
            Item(6, DocumentItemKind.Paragraph, "Ranks are assigned first.", page: 2));

        var passages = PassageChunker.Chunk(document, new WordTokenCounter(), budget: 100, overlap: 10);

        Assert.Equal(["dot draws directed graphs.", "Nodes are ellipses by default.", "Ranks are assigned first."], passages.Select(p => p.Text));
        Assert.Equal(["1 Drawing"], passages[0].HeadingPath);
        Assert.Equal(["1 Drawing", "1.1 Shapes"], passages[1].HeadingPath);
        Assert.Equal(["2 Layout"], passages[2].HeadingPath);
        Assert.Equal((2, 2), (passages[2].FirstPage, passages[2].LastPage));
        Assert.Equal([new PageBox(2, document.Items[6].Provenance.Box!.Value)], passages[2].Boxes);
        Assert.Equal([6], passages[2].ItemIndexes);
    }

    [Fact]
    public void Table_is_kept_whole()
    {
        string table = "Name | Default | Meaning\nshape | ellipse | node shape\ncolor | black | line color";
        var document = Document(
            Item(0, DocumentItemKind.Paragraph, Sentences("P", 3, 10)),
            Item(1, DocumentItemKind.Table, table),
            Item(2, DocumentItemKind.Paragraph, "After the table."));

        var passages = PassageChunker.Chunk(document, new WordTokenCounter(), budget: 40, overlap: 0);

        var holding = Assert.Single(passages, p => p.Text.Contains("Name | Default", StringComparison.Ordinal));
        Assert.StartsWith(table, holding.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Sentence_longer_than_the_budget_is_cut_at_words()
    {
        var document = Document(Item(0, DocumentItemKind.Paragraph, string.Join(" ", Enumerable.Range(1, 95).Select(i => $"w{i}"))));

        var passages = PassageChunker.Chunk(document, new WordTokenCounter(), budget: 30, overlap: 0);

        Assert.Equal([30, 30, 30, 5], passages.Select(p => p.TokenCount));
        Assert.Equal(string.Join(" ", Enumerable.Range(1, 95).Select(i => $"w{i}")), string.Join(" ", passages.Select(p => p.Text)));
    }

    [Fact]
    public void Overlap_of_more_than_half_the_budget_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => PassageChunker.Chunk(Document(), new WordTokenCounter(), 100, 60));
        Assert.Contains("got overlap 60 and budget 100", error.Message, StringComparison.Ordinal);
    }
}
