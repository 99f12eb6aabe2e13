using MultiModalSearch.Abstractions.Documents;

namespace MultiModalSearch.Documents.Layout;

/// <summary>
/// Words on one baseline with no wide gap between them: a line of one column, or one cell of a table row. Wide gaps
/// split a baseline into several lines, so two columns never share one.
/// </summary>
internal sealed class TextLine
{
    public TextLine(List<TextWord> words)
    {
        Words = words;
        var box = words[0].Box;
        for (int i = 1; i < words.Count; i++)
            box = box.Union(words[i].Box);
        Box = box;
        Text = string.Join(" ", words.Select(w => w.Text));
        FontSize = MedianFontSize(words);
        Bold = words.All(w => w.Bold);
        // Nearly all words: a sentence with some inline code in it is still a sentence.
        Monospace = words.Count(w => w.Monospace) >= 0.8 * words.Count;
        ColumnLeft = box.Left;
        ColumnRight = box.Right;
    }

    public List<TextWord> Words { get; }

    public BoundingBox Box { get; }

    public string Text { get; }

    public double FontSize { get; }

    public bool Bold { get; }

    public bool Monospace { get; }

    /// <summary>The horizontal extent of the column this line was read in (set by <see cref="ReadingOrder"/>).</summary>
    public double ColumnLeft { get; set; }

    public double ColumnRight { get; set; }

    public override string ToString() => $"{Box} {Text}";

    private static double MedianFontSize(List<TextWord> words)
    {
        if (words.Count == 1)
            return words[0].FontSize;
        var sizes = words.Select(w => w.FontSize).Order().ToArray();
        return sizes[sizes.Length / 2];
    }
}
