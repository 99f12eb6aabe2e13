namespace MultiModalSearch.Documents.Layout;

/// <summary>Groups a page's words into <see cref="TextLine"/>s: same baseline band, gaps narrower than a column gutter.</summary>
internal static class LineBuilder
{
    /// <summary>
    /// A gap wider than this many font sizes ends a line. Word spaces are about a quarter of the font size (TeX stretches
    /// them to about half); column gutters and table cell gaps are one and a half font sizes and more.
    /// </summary>
    private const double MaxGapInFontSizes = 1.2;

    public static List<TextLine> Build(IReadOnlyList<TextWord> words)
    {
        var lines = new List<TextLine>();
        if (words.Count == 0)
            return lines;
        // Sorting by the vertical centre keeps a band's words together; superscripts and mixed sizes still overlap it.
        var sorted = words.OrderBy(w => w.Box.CenterY).ThenBy(w => w.Box.Left).ToList();
        int start = 0;
        while (start < sorted.Count)
        {
            int end = start + 1;
            var band = sorted[start].Box;
            while (end < sorted.Count && SameBand(band, sorted[end].Box))
            {
                band = band.Union(sorted[end].Box);
                end++;
            }
            SplitAtGaps(sorted.GetRange(start, end - start), lines);
            start = end;
        }
        return lines;
    }

    private static bool SameBand(Abstractions.Documents.BoundingBox band, Abstractions.Documents.BoundingBox word)
    {
        double overlap = Math.Min(band.Bottom, word.Bottom) - Math.Max(band.Top, word.Top);
        double smaller = Math.Min(band.Height, word.Height);
        // A word joins the band when most of its height overlaps; band.Height grows only a little as words join.
        return smaller <= 0 ? Math.Abs(band.CenterY - word.CenterY) < 1 : overlap >= 0.5 * smaller && word.CenterY < band.Bottom;
    }

    private static void SplitAtGaps(List<TextWord> band, List<TextLine> lines)
    {
        band.Sort((a, b) => a.Box.Left.CompareTo(b.Box.Left));
        var current = new List<TextWord> { band[0] };
        double right = band[0].Box.Right;
        for (int i = 1; i < band.Count; i++)
        {
            var word = band[i];
            double size = Math.Max(word.FontSize, current[^1].FontSize);
            double gap = word.Box.Left - right;
            if (gap > Math.Max(MaxGapInFontSizes * size, 3))
            {
                lines.Add(new TextLine(current));
                current = [];
            }
            current.Add(word);
            right = Math.Max(right, word.Box.Right);
        }
        lines.Add(new TextLine(current));
    }
}
