using System.Text;
using MultiModalSearch.Abstractions.Documents;

namespace MultiModalSearch.Documents.Layout;

/// <summary>Consecutive lines of one paragraph, heading, caption or listing, in reading order.</summary>
internal sealed class TextBlock
{
    public TextBlock(List<TextLine> lines)
    {
        Lines = lines;
        var box = lines[0].Box;
        foreach (var line in lines)
            box = box.Union(line.Box);
        Box = box;
        FontSize = lines.Select(l => l.FontSize).Order().ElementAt(lines.Count / 2);
        Bold = lines.All(l => l.Bold);
        Monospace = lines.Count(l => l.Monospace) * 2 > lines.Count;
        Text = Join(lines, Monospace);
    }

    public List<TextLine> Lines { get; }

    public BoundingBox Box { get; }

    public double FontSize { get; }

    public bool Bold { get; }

    public bool Monospace { get; }

    public string Text { get; }

    public BlockRole Role { get; set; }

    public int HeadingLevel { get; set; }

    /// <summary>Set when the block lies inside a figure region: its text then belongs to the figure, not the body.</summary>
    public bool InFigure { get; set; }

    public double ColumnWidth => Lines[0].ColumnRight - Lines[0].ColumnLeft;

    public override string ToString() => $"{Role} {Box} {Text}";

    /// <summary>Lines joined with spaces, end-of-line hyphens undone before a lower-case letter; listings keep their line breaks.</summary>
    private static string Join(List<TextLine> lines, bool keepBreaks)
    {
        if (lines.Count == 1)
            return lines[0].Text;
        var text = new StringBuilder(lines.Sum(l => l.Text.Length + 1));
        foreach (var line in lines)
        {
            if (text.Length > 0)
            {
                if (keepBreaks)
                    text.Append('\n');
                else if (text[^1] == '-' && text.Length > 1 && char.IsLetter(text[^2]) && line.Text.Length > 0 && char.IsLower(line.Text[0]))
                    text.Length--;
                else
                    text.Append(' ');
            }
            text.Append(line.Text);
        }
        return text.ToString();
    }
}
