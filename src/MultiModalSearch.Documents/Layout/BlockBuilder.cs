using MultiModalSearch.Documents.Captions;

namespace MultiModalSearch.Documents.Layout;

/// <summary>
/// Groups lines, already in reading order, into blocks: a new block starts where the text jumps back up or sideways,
/// leaves a gap, changes size, weight or typeface, indents a first line, follows a short last line, or starts a caption.
/// </summary>
internal static class BlockBuilder
{
    public static List<TextBlock> Build(List<TextLine> ordered)
    {
        var blocks = new List<TextBlock>();
        var current = new List<TextLine>();
        double left = 0, right = 0;
        foreach (var line in ordered)
        {
            if (current.Count > 0 && StartsNewBlock(current, line, left, right))
            {
                blocks.Add(new TextBlock(current));
                current = [];
            }
            if (current.Count == 0)
            {
                left = line.Box.Left;
                right = line.Box.Right;
            }
            current.Add(line);
            left = Math.Min(left, line.Box.Left);
            right = Math.Max(right, line.Box.Right);
        }
        if (current.Count > 0)
            blocks.Add(new TextBlock(current));
        return blocks;
    }

    private static bool StartsNewBlock(List<TextLine> block, TextLine line, double left, double right)
    {
        var previous = block[^1];
        double size = Math.Max(previous.FontSize, line.FontSize);
        if (line.Box.Top < previous.Box.Top - 1)
            return true; // back up: the next column or region
        if (line.Box.Top - previous.Box.Bottom > 0.8 * size)
            return true;
        if (line.Box.HorizontalOverlap(previous.Box) <= 0)
            return true;
        if (Math.Abs(line.FontSize - previous.FontSize) > 0.15 * size)
            return true;
        if (line.Bold != previous.Bold || line.Monospace != previous.Monospace)
            return true;
        bool previousShort = right - previous.Box.Right > 3 * size;
        // "Figure 2." at the start of a line inside a justified paragraph is a reference that wrapped, not a caption.
        if (CaptionParser.IsCaptionStart(line.Text) && (previousShort || line.Box.Top - previous.Box.Bottom > 0.3 * size || line.Box.Left - left > 0.8 * size))
            return true;
        if (line.Monospace)
            return false; // listings: ragged lines and indents are the content
        bool indented = line.Box.Left - left > 0.8 * size && line.Box.Left - left < 4 * size;
        return indented || previousShort;
    }
}
