namespace MultiModalSearch.Documents.Layout;

/// <summary>
/// What body text looks like in one document: its most common font size (by characters) and the usual width of a
/// column of it. Headings, captions, figure labels and listings are told apart from body text by these.
/// </summary>
internal sealed record TextStatistics(double BodyFontSize, double ColumnWidth, bool TwoColumns)
{
    public static TextStatistics Measure(IReadOnlyList<TextBlock> blocks, double contentWidth)
    {
        var chars = new Dictionary<double, int>();
        foreach (var block in blocks)
            foreach (var line in block.Lines)
                foreach (var word in line.Words)
                {
                    double size = Math.Round(word.FontSize * 2) / 2;
                    chars[size] = chars.GetValueOrDefault(size) + word.Text.Length;
                }
        double body = chars.Count == 0 ? 10 : chars.MaxBy(kv => kv.Value).Key;
        var widths = blocks
            .Where(b => b.Lines.Count >= 3 && !b.Monospace && Math.Abs(b.FontSize - body) <= 0.12 * body)
            .Select(b => b.Box.Width).Order().ToArray();
        double column = widths.Length == 0 ? contentWidth : widths[(int)(widths.Length * 0.75)];
        return new TextStatistics(body, column, column < 0.6 * contentWidth);
    }

    public bool IsBodySize(double size) => Math.Abs(size - BodyFontSize) <= 0.12 * BodyFontSize;

    /// <summary>
    /// Running text: body-sized, proportional, and as wide as a column (a single line must be nearly full width).
    /// Figure labels, short lines of a diagram and listings are not.
    /// </summary>
    public bool IsRunningText(TextBlock block)
    {
        if (block.Monospace || !IsBodySize(block.FontSize))
            return false;
        double share = block.Box.Width / ColumnWidth;
        if (block.Lines.Count >= 2)
            return share >= 0.6;
        // One line: nearly full width, or the end of a sentence (a paragraph's last line); diagram labels are neither.
        return share >= 0.75 || (share >= 0.3 && block.Text.TrimEnd().EndsWith('.') && block.Text.Count(c => c == ' ') >= 3);
    }
}
