using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace MultiModalSearch.Models.Tokenization.Clip;

/// <summary>
/// Python's <c>html.unescape</c> (3.x), which CLIP's reference tokenizer applies twice.
/// </summary>
/// <remarks>
/// <see cref="System.Net.WebUtility.HtmlDecode(string)"/> is not a substitute: it knows only the HTML 4 names,
/// needs the trailing ';', and maps numeric references differently (e.g. <c>&amp;#150;</c>, <c>&amp;#0;</c>),
/// each of which changes the token ids. This follows Python's rules: the full HTML5 name table, the legacy
/// names that are valid without ';' (longest such prefix wins, e.g. "&amp;ampfoo" gives "&amp;foo"), and
/// numeric references with the windows-1252 fix-ups and the invalid code point rules.
/// </remarks>
internal static class PythonHtmlUnescaper
{
    // Python matches a name of 1..32 characters other than these, then an optional ';'.
    private const string NameStopChars = "\t\n\f <&#;";
    private const int MaxNameLength = 32;

    private static readonly Lazy<FrozenDictionary<string, string>> Entities = new(LoadEntities);

    // Numeric references 0x80..0x9F are read as windows-1252 (as browsers do); 0x00 and 0x0D are special-cased.
    private static readonly string[] Windows1252High =
    [
        "\u20AC", "\u0081", "\u201A", "\u0192", "\u201E", "\u2026", "\u2020", "\u2021",
        "\u02C6", "\u2030", "\u0160", "\u2039", "\u0152", "\u008D", "\u017D", "\u008F",
        "\u0090", "\u2018", "\u2019", "\u201C", "\u201D", "\u2022", "\u2013", "\u2014",
        "\u02DC", "\u2122", "\u0161", "\u203A", "\u0153", "\u009D", "\u017E", "\u0178",
    ];

    public static string Unescape(string text)
    {
        int amp = text.IndexOf('&', StringComparison.Ordinal);
        if (amp < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        int copied = 0;
        while (amp >= 0)
        {
            sb.Append(text, copied, amp - copied);
            int consumed = TryReplaceReference(text, amp, sb);
            if (consumed == 0)
            {
                sb.Append('&');
                consumed = 1;
            }

            copied = amp + consumed;
            amp = copied < text.Length ? text.IndexOf('&', copied) : -1;
        }

        sb.Append(text, copied, text.Length - copied);
        return sb.ToString();
    }

    /// <summary>Appends the replacement of the reference at <paramref name="amp"/>; returns the characters consumed, 0 if none matched.</summary>
    private static int TryReplaceReference(string text, int amp, StringBuilder sb)
    {
        int start = amp + 1;
        if (start >= text.Length)
        {
            return 0;
        }

        return text[start] == '#' ? TryReplaceNumeric(text, start + 1, sb, amp) : TryReplaceNamed(text, start, sb, amp);
    }

    private static int TryReplaceNumeric(string text, int pos, StringBuilder sb, int amp)
    {
        bool hex = pos < text.Length && (text[pos] == 'x' || text[pos] == 'X');
        int digitsStart = hex ? pos + 1 : pos;
        int end = digitsStart;
        while (end < text.Length && (hex ? char.IsAsciiHexDigit(text[end]) : char.IsAsciiDigit(text[end])))
        {
            end++;
        }

        if (end == digitsStart)
        {
            return 0;
        }

        sb.Append(CharForCodePoint(ParseCodePoint(text.AsSpan(digitsStart, end - digitsStart), hex)));
        if (end < text.Length && text[end] == ';')
        {
            end++;
        }

        return end - amp;
    }

    // Python parses arbitrarily long numbers; anything beyond the Unicode range behaves alike, so saturate.
    private static long ParseCodePoint(ReadOnlySpan<char> digits, bool hex)
    {
        long value = 0;
        foreach (char c in digits)
        {
            int d = hex ? HexValue(c) : c - '0';
            value = value * (hex ? 16 : 10) + d;
            if (value > 0x10FFFF)
            {
                return 0x110000;
            }
        }

        return value;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static string CharForCodePoint(long cp)
    {
        if (cp == 0)
        {
            return "\uFFFD";
        }

        if (cp == 0x0D)
        {
            return "\r";
        }

        if (cp is >= 0x80 and <= 0x9F)
        {
            return Windows1252High[cp - 0x80];
        }

        if (cp is >= 0xD800 and <= 0xDFFF || cp > 0x10FFFF)
        {
            return "\uFFFD";
        }

        return IsDroppedCodePoint(cp) ? string.Empty : char.ConvertFromUtf32((int)cp);
    }

    // Python's html._invalid_codepoints (minus those handled above): control characters and non-characters vanish.
    private static bool IsDroppedCodePoint(long cp) =>
        cp is >= 0x01 and <= 0x08 or 0x0B or >= 0x0E and <= 0x1F or >= 0x7F and <= 0x9F or >= 0xFDD0 and <= 0xFDEF
        || (cp & 0xFFFE) == 0xFFFE;

    private static int TryReplaceNamed(string text, int start, StringBuilder sb, int amp)
    {
        int end = start;
        while (end < text.Length && end - start < MaxNameLength && !NameStopChars.Contains(text[end], StringComparison.Ordinal))
        {
            end++;
        }

        if (end == start)
        {
            return 0;
        }

        if (end < text.Length && text[end] == ';')
        {
            end++;
        }

        var entities = Entities.Value.GetAlternateLookup<ReadOnlySpan<char>>();
        ReadOnlySpan<char> name = text.AsSpan(start, end - start);
        if (entities.TryGetValue(name, out string? value))
        {
            sb.Append(value);
            return end - amp;
        }

        // Python then tries ever shorter prefixes (at least 2 characters) and keeps the rest as text.
        for (int len = name.Length - 1; len >= 2; len--)
        {
            if (entities.TryGetValue(name[..len], out value))
            {
                sb.Append(value);
                return start + len - amp;
            }
        }

        // No match: Python gives back "&" + the name, so the name is not reconsidered; copy it verbatim.
        sb.Append('&').Append(name);
        return end - amp;
    }

    private static FrozenDictionary<string, string> LoadEntities()
    {
        var map = new Dictionary<string, string>(2300, StringComparer.Ordinal);
        foreach (var line in Html5EntityTable.Data.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty)
            {
                continue;
            }

            int space = line.IndexOf(' ');
            var value = new StringBuilder(2);
            foreach (var hex in line[(space + 1)..].Split(' '))
            {
                value.Append(char.ConvertFromUtf32(int.Parse(line[(space + 1)..][hex], NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            }

            map[line[..space].ToString()] = value.ToString();
        }

        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
