using System.Text;

namespace MultiModalSearch.Models.Tokenization.ChatTemplates;

/// <summary>
/// Cuts template source into text, <c>{{ }}</c> and <c>{% %}</c> segments (comments <c>{# #}</c> dropped), applying
/// whitespace control as Hugging Face's environment does: <c>-</c> on a tag strips the whitespace on that side,
/// <c>trim_blocks</c> removes the first newline after a statement or comment, and <c>lstrip_blocks</c> removes spaces
/// and tabs between the start of a line and a statement or comment.
/// </summary>
internal static class JinjaTemplateLexer
{
    public static List<JinjaSegment> Split(string source)
    {
        var segments = new List<JinjaSegment>();
        var text = new StringBuilder();
        var position = 0;
        var line = 1;
        var stripNextLeading = false;
        var trimNextNewline = false;
        while (position < source.Length)
        {
            var open = FindOpening(source, position);
            var literal = source[position..(open < 0 ? source.Length : open)];
            if (stripNextLeading)
            {
                literal = literal.TrimStart();
            }
            else if (trimNextNewline && literal.StartsWith('\n'))
            {
                literal = literal[1..];
            }
            else if (trimNextNewline && literal.StartsWith("\r\n", StringComparison.Ordinal))
            {
                literal = literal[2..];
            }

            if (open < 0)
            {
                text.Append(literal);
                break;
            }

            var kind = source[open + 1];
            var afterOpen = open + 2;
            var stripBefore = afterOpen < source.Length && source[afterOpen] == '-';
            var keepIndent = afterOpen < source.Length && source[afterOpen] == '+';
            if (stripBefore || keepIndent)
            {
                afterOpen++;
            }

            if (stripBefore)
            {
                literal = literal.TrimEnd();
            }
            else if (kind != '{' && !keepIndent)
            {
                literal = StripIndent(source, position, open, literal);
            }

            text.Append(literal);
            line += CountLines(source, position, open);
            var close = FindClosing(source, afterOpen, kind, line);
            var stripAfter = source[close - 1] == '-' && close - 1 >= afterOpen;
            var content = source[afterOpen..(stripAfter ? close - 1 : close)];
            if (kind != '#')
            {
                Flush(segments, text, line);
                segments.Add(new JinjaSegment(kind == '{' ? JinjaSegmentKind.Output : JinjaSegmentKind.Statement, content.Trim(), line));
            }

            line += CountLines(source, open, close + 2);
            position = close + 2;
            stripNextLeading = stripAfter;
            trimNextNewline = kind != '{';
        }

        Flush(segments, text, line);
        return segments;
    }

    /// <summary>lstrip_blocks: spaces and tabs between the start of a source line and a statement or comment tag go.</summary>
    private static string StripIndent(string source, int literalStart, int open, string literal)
    {
        var indentStart = open;
        while (indentStart > literalStart && source[indentStart - 1] is ' ' or '\t')
        {
            indentStart--;
        }

        var atLineStart = indentStart == 0 || source[indentStart - 1] == '\n';
        return atLineStart ? literal[..Math.Max(0, literal.Length - (open - indentStart))] : literal;
    }

    private static int FindOpening(string source, int from)
    {
        for (var i = source.IndexOf('{', from); i >= 0 && i + 1 < source.Length; i = source.IndexOf('{', i + 1))
        {
            if (source[i + 1] is '{' or '%' or '#')
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The index of the closing <c>}}</c>, <c>%}</c> or <c>#}</c>; string literals inside a tag may hold them.</summary>
    private static int FindClosing(string source, int from, char kind, int line)
    {
        var closing = kind switch { '{' => "}}", '%' => "%}", _ => "#}" };
        char quote = '\0';
        for (var i = from; i + 1 < source.Length; i++)
        {
            var c = source[i];
            if (kind != '#' && quote == '\0' && c is '\'' or '"')
            {
                quote = c;
            }
            else if (quote != '\0' && c == '\\')
            {
                i++;
            }
            else if (quote != '\0' && c == quote)
            {
                quote = '\0';
            }
            else if (quote == '\0' && c == closing[0] && source[i + 1] == closing[1])
            {
                return i;
            }
        }

        throw new ChatTemplateException($"chat template line {line}: a tag opened with '{{{kind}' is never closed with '{closing}'");
    }

    private static void Flush(List<JinjaSegment> segments, StringBuilder text, int line)
    {
        if (text.Length > 0)
        {
            segments.Add(new JinjaSegment(JinjaSegmentKind.Text, text.ToString(), line));
            text.Clear();
        }
    }

    private static int CountLines(string source, int from, int to)
    {
        var count = 0;
        for (var i = from; i < to && i < source.Length; i++)
        {
            count += source[i] == '\n' ? 1 : 0;
        }

        return count;
    }
}
