using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Documents.Captions;

namespace MultiModalSearch.Documents.Text;

/// <summary>
/// Plain text: paragraphs separated by blank lines, each with its character span. A short line underlined with
/// "===" or "---" is a heading (level 1 or 2), as in Markdown's setext style and many README files.
/// </summary>
internal static class PlainTextExtractor
{
    public static ExtractedDocument Extract(string path, string text)
    {
        var items = new List<DocumentItem>();
        foreach (var (start, length) in Paragraphs(text))
        {
            string raw = text.Substring(start, length);
            var lines = raw.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
            var span = new SourceSpan(start, length);
            if (lines.Length == 2 && lines[0].Trim().Length is > 0 and <= 120 && IsUnderline(lines[1]))
            {
                items.Add(new DocumentItem(items.Count, DocumentItemKind.Heading, lines[0].Trim(), lines[1].TrimStart()[0] == '=' ? 1 : 2, new Provenance(1, null, span)));
                continue;
            }
            string joined = string.Join(" ", lines.Select(l => l.Trim()).Where(l => l.Length > 0));
            var kind = CaptionParser.IsCaptionStart(joined) ? DocumentItemKind.Caption : DocumentItemKind.Paragraph;
            items.Add(new DocumentItem(items.Count, kind, joined, 0, new Provenance(1, null, span)));
        }
        string? title = items.FirstOrDefault(i => i.Kind == DocumentItemKind.Heading)?.Text;
        var page = new DocumentPage(1, 0, 0, items.Count > 0 ? PageTextLayer.Text : PageTextLayer.Empty, items.Sum(i => i.Text.Split(' ').Length));
        return new ExtractedDocument(path, DocumentFormat.PlainText, title, [page], items, [], []);
    }

    private static bool IsUnderline(string line)
    {
        string t = line.Trim();
        return t.Length >= 3 && (t.All(c => c == '=') || t.All(c => c == '-'));
    }

    /// <summary>Runs of non-blank lines, as (start, length) in the text, trailing line breaks excluded.</summary>
    private static IEnumerable<(int Start, int Length)> Paragraphs(string text)
    {
        int position = 0, start = -1, end = -1;
        while (position <= text.Length)
        {
            int newline = text.IndexOf('\n', position);
            int lineEnd = newline < 0 ? text.Length : newline;
            bool blank = string.IsNullOrWhiteSpace(text.AsSpan(position, lineEnd - position).ToString());
            if (!blank)
            {
                if (start < 0)
                    start = position;
                end = lineEnd > position && text[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            }
            else if (start >= 0)
            {
                yield return (start, end - start);
                start = -1;
            }
            if (newline < 0)
                break;
            position = newline + 1;
        }
        if (start >= 0)
            yield return (start, end - start);
    }
}
