namespace MultiModalSearch.Documents.Layout;

/// <summary>
/// Orders a page's lines for reading with a recursive XY-cut: a region is split at its widest blank band, across
/// (a horizontal band no line crosses) or down (a gutter no line crosses), and the parts read top to bottom, left to
/// right. The widest band wins, so a two-column page is cut down its gutter before the short gaps between its lines,
/// and a title spanning both columns is cut off above them first. Each line learns the column it was read in.
/// </summary>
internal static class ReadingOrder
{
    /// <summary>A gutter narrower than this (points) is taken for a word gap, not a column break.</summary>
    private const double MinGutter = 7;

    /// <summary>Each side of a gutter must hold at least this share of the region's width: bullets and line numbers are not a column.</summary>
    private const double MinColumnShare = 0.15;

    private const int MaxDepth = 400;

    public static List<TextLine> Order(List<TextLine> lines)
    {
        var ordered = new List<TextLine>(lines.Count);
        if (lines.Count == 0)
            return ordered;
        Cut(lines, ordered, depth: 0, Left(lines), Right(lines));
        return ordered;
    }

    private static void Cut(List<TextLine> region, List<TextLine> output, int depth, double columnLeft, double columnRight)
    {
        if (region.Count > 1 && depth < MaxDepth)
        {
            var across = WidestGap(region, l => l.Box.Top, l => l.Box.Bottom);
            var down = WidestGutter(region);
            if (down.Width > 0 && down.Width >= across.Width)
            {
                var (left, right) = Partition(region, l => l.Box.CenterX < down.At);
                Cut(left, output, depth + 1, Left(left), Right(left));
                Cut(right, output, depth + 1, Left(right), Right(right));
                return;
            }
            if (across.Width > 0)
            {
                var (above, below) = Partition(region, l => l.Box.CenterY < across.At);
                Cut(above, output, depth + 1, columnLeft, columnRight);
                Cut(below, output, depth + 1, columnLeft, columnRight);
                return;
            }
        }
        foreach (var line in InRows(region))
        {
            line.ColumnLeft = columnLeft;
            line.ColumnRight = columnRight;
            output.Add(line);
        }
    }

    /// <summary>
    /// Lines that could not be cut apart, top to bottom, and left to right within a row: lines whose centres lie within
    /// half a line of the row's first are one row, so a tall bracket does not put "digraph G {" before its "1:".
    /// </summary>
    private static IEnumerable<TextLine> InRows(List<TextLine> region)
    {
        var byTop = region.OrderBy(l => l.Box.Top).ToList();
        int start = 0;
        while (start < byTop.Count)
        {
            var first = byTop[start];
            int end = start + 1;
            while (end < byTop.Count && byTop[end].Box.CenterY - first.Box.CenterY <= first.Box.Height / 2)
                end++;
            foreach (var line in byTop.GetRange(start, end - start).OrderBy(l => l.Box.Left))
                yield return line;
            start = end;
        }
    }

    private static Gap WidestGutter(List<TextLine> region)
    {
        var gap = WidestGap(region, l => l.Box.Left, l => l.Box.Right);
        if (gap.Width < MinGutter)
            return default;
        double left = Left(region), right = Right(region), width = right - left;
        double leftSide = gap.At - gap.Width / 2 - left, rightSide = right - (gap.At + gap.Width / 2);
        return leftSide >= MinColumnShare * width && rightSide >= MinColumnShare * width ? gap : default;
    }

    /// <summary>The widest stretch along one axis that no line covers, between the first and last line.</summary>
    private static Gap WidestGap(List<TextLine> region, Func<TextLine, double> start, Func<TextLine, double> end)
    {
        var sorted = region.OrderBy(start).ToList();
        double reach = end(sorted[0]);
        var best = default(Gap);
        for (int i = 1; i < sorted.Count; i++)
        {
            double s = start(sorted[i]);
            if (s > reach && s - reach > best.Width)
                best = new Gap((s + reach) / 2, s - reach);
            reach = Math.Max(reach, end(sorted[i]));
        }
        return best;
    }

    private static (List<TextLine> First, List<TextLine> Second) Partition(List<TextLine> region, Func<TextLine, bool> first)
    {
        var a = new List<TextLine>();
        var b = new List<TextLine>();
        foreach (var line in region)
            (first(line) ? a : b).Add(line);
        return (a, b);
    }

    private static double Left(List<TextLine> lines) => lines.Min(l => l.Box.Left);

    private static double Right(List<TextLine> lines) => lines.Max(l => l.Box.Right);

    private readonly record struct Gap(double At, double Width);
}
