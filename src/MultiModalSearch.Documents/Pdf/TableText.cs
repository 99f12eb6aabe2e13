using System.Text;
using MultiModalSearch.Documents.Layout;

namespace MultiModalSearch.Documents.Pdf;

/// <summary>A table region's text kept whole: one row per line, cells (lines split at wide gaps) joined by " | ".</summary>
internal static class TableText
{
    public static string Of(IEnumerable<TextBlock> blocks)
    {
        var lines = blocks.SelectMany(b => b.Lines).OrderBy(l => l.Box.CenterY).ToList();
        var text = new StringBuilder();
        int start = 0;
        while (start < lines.Count)
        {
            int end = start + 1;
            double half = Math.Max(2, lines[start].Box.Height / 2);
            while (end < lines.Count && lines[end].Box.CenterY - lines[start].Box.CenterY <= half)
                end++;
            var row = lines.GetRange(start, end - start).OrderBy(l => l.Box.Left).Select(l => l.Text);
            if (text.Length > 0)
                text.Append('\n');
            text.AppendJoin(" | ", row);
            start = end;
        }
        return text.ToString();
    }
}
