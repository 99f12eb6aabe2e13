using System.Globalization;
using System.Text;

namespace MultiModalSearch.Models.Tokenization.ChatTemplates;

/// <summary>Tokens of one tag's content: names, string and number literals, operators.</summary>
internal static class JinjaExpressionLexer
{
    private static readonly string[] Operators =
        ["==", "!=", "<=", ">=", "//", "**", "+", "-", "*", "/", "%", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ".", "|", ":", "=", "?"];

    public static List<JinjaToken> Tokenize(string content, int line)
    {
        var tokens = new List<JinjaToken>();
        var i = 0;
        while (i < content.Length)
        {
            var c = content[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < content.Length && (char.IsLetterOrDigit(content[i]) || content[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new JinjaToken(JinjaTokenKind.Name, content[start..i]));
            }
            else if (char.IsDigit(c))
            {
                tokens.Add(ReadNumber(content, ref i));
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(ReadString(content, ref i, line));
            }
            else
            {
                var op = Operators.FirstOrDefault(o => string.CompareOrdinal(content, i, o, 0, o.Length) == 0)
                    ?? throw new ChatTemplateException($"chat template line {line}: unexpected character '{c}' in '{content}'");
                tokens.Add(new JinjaToken(JinjaTokenKind.Operator, op));
                i += op.Length;
            }
        }

        tokens.Add(new JinjaToken(JinjaTokenKind.End, ""));
        return tokens;
    }

    private static JinjaToken ReadNumber(string content, ref int i)
    {
        var start = i;
        while (i < content.Length && (char.IsDigit(content[i]) || content[i] == '_'))
        {
            i++;
        }

        var isFloat = i + 1 < content.Length && content[i] == '.' && char.IsDigit(content[i + 1]);
        if (isFloat)
        {
            i++;
            while (i < content.Length && char.IsDigit(content[i]))
            {
                i++;
            }
        }

        var text = content[start..i].Replace("_", "", StringComparison.Ordinal);
        return isFloat
            ? new JinjaToken(JinjaTokenKind.Float, text, double.Parse(text, CultureInfo.InvariantCulture))
            : new JinjaToken(JinjaTokenKind.Integer, text, long.Parse(text, CultureInfo.InvariantCulture));
    }

    /// <summary>Python string literal escapes: \n, \t, \r, \\, \', \", \uXXXX; anything else keeps its backslash.</summary>
    private static JinjaToken ReadString(string content, ref int i, int line)
    {
        var quote = content[i++];
        var value = new StringBuilder();
        while (i < content.Length && content[i] != quote)
        {
            var c = content[i++];
            if (c != '\\' || i >= content.Length)
            {
                value.Append(c);
                continue;
            }

            var escaped = content[i++];
            switch (escaped)
            {
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case '\\' or '\'' or '"': value.Append(escaped); break;
                case 'u' when i + 4 <= content.Length:
                    value.Append((char)int.Parse(content.AsSpan(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default: value.Append('\\').Append(escaped); break;
            }
        }

        if (i >= content.Length)
        {
            throw new ChatTemplateException($"chat template line {line}: a string literal is not closed in '{content}'");
        }

        i++;
        return new JinjaToken(JinjaTokenKind.String, value.ToString(), value.ToString());
    }
}
