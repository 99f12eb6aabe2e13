using System.Globalization;
using System.Text;

namespace MultiModalSearch.Models.Tokenization.Clip;

/// <summary>
/// The text cleaning of OpenAI CLIP's <c>simple_tokenizer</c>: <c>html.unescape</c> twice, strip,
/// collapse whitespace runs to one space, strip, lowercase (Python <c>str.lower</c>).
/// </summary>
/// <remarks>
/// The reference first runs <c>ftfy.fix_text</c>. That is not reproduced: the ids of the golden fixture are the same
/// without it. Texts where ftfy would change the ids include mojibake, curly quotes (ftfy turns ’ into '),
/// full-width letters, ligatures such as ﬁ, and text that is not in NFC. Of these, only NFC is applied here
/// (ftfy normalises to NFC by default), because it is cheap and pasted or macOS text is often decomposed.
/// </remarks>
public static class ClipTextNormalizer
{
    private const char CapitalSigma = '\u03A3';
    private const char SmallSigma = '\u03C3';
    private const char FinalSigma = '\u03C2';

    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = ReplaceLoneSurrogates(text);
        if (!s.IsNormalized(NormalizationForm.FormC))
        {
            s = s.Normalize(NormalizationForm.FormC);
        }

        s = PythonHtmlUnescaper.Unescape(PythonHtmlUnescaper.Unescape(s));
        s = CollapseWhitespace(PythonStrip(s));
        return PythonLower(s);
    }

    // Python's str.strip() also removes U+001C..U+001F (str.isspace), which .NET does not count as white space.
    private static bool IsPythonSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';

    private static ReadOnlySpan<char> PythonStrip(string s)
    {
        int start = 0;
        int end = s.Length;
        while (start < end && IsPythonSpace(s[start]))
        {
            start++;
        }

        while (end > start && IsPythonSpace(s[end - 1]))
        {
            end--;
        }

        return s.AsSpan(start, end - start);
    }

    /// <summary>
    /// Replaces each run of white space with one space. The reference uses the <c>regex</c> module's <c>\s</c>
    /// (the Unicode White_Space property), which is exactly <see cref="char.IsWhiteSpace(char)"/>; so unlike the
    /// strip above, U+001C..U+001F stay. The collapse cannot create new leading or trailing white space, so the
    /// reference's second strip is a no-op after the first one.
    /// </summary>
    private static string CollapseWhitespace(ReadOnlySpan<char> s)
    {
        var sb = new StringBuilder(s.Length);
        bool inSpace = false;
        foreach (char c in s)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!inSpace)
                {
                    sb.Append(' ');
                }

                inSpace = true;
                continue;
            }

            inSpace = false;
            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>
    /// Python's <c>str.lower()</c> uses full case mapping where .NET's invariant lowercasing is per code point:
    /// U+0130 (İ) becomes "i" + U+0307, and a capital sigma at the end of a word becomes final sigma (ς).
    /// </summary>
    internal static string PythonLower(string s)
    {
        string lower = s.ToLowerInvariant();
        bool hasDottedI = s.Contains('\u0130', StringComparison.Ordinal);
        bool hasSigma = s.Contains(CapitalSigma, StringComparison.Ordinal);
        if (!hasDottedI && !hasSigma)
        {
            return lower;
        }

        var sb = new StringBuilder(s.Length + 8);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\u0130')
            {
                sb.Append("i\u0307");
            }
            else if (c == CapitalSigma)
            {
                sb.Append(IsFinalSigma(s, i) ? FinalSigma : SmallSigma);
            }
            else
            {
                // Lowercasing never changes the UTF-16 length for the remaining code points, so indices line up.
                sb.Append(lower[i]);
            }
        }

        return sb.ToString();
    }

    // Unicode's Final_Sigma condition, as CPython applies it: a cased letter before (skipping case-ignorable
    // characters), and no cased letter after (skipping case-ignorable characters).
    private static bool IsFinalSigma(string s, int index)
    {
        int before = CodePointStartBefore(s, index);
        while (before >= 0 && IsCaseIgnorable(s, before))
        {
            before = CodePointStartBefore(s, before);
        }

        if (before < 0 || !IsCased(s, before))
        {
            return false;
        }

        int after = index + 1;
        while (after < s.Length && IsCaseIgnorable(s, after))
        {
            after += char.IsHighSurrogate(s[after]) && after + 1 < s.Length ? 2 : 1;
        }

        return after == s.Length || !IsCased(s, after);
    }

    // Walking backwards, a low surrogate must be read together with the high surrogate before it.
    private static int CodePointStartBefore(string s, int index)
    {
        int i = index - 1;
        return i > 0 && char.IsLowSurrogate(s[i]) && char.IsHighSurrogate(s[i - 1]) ? i - 1 : i;
    }

    // Approximates Unicode's Cased property by the letter case categories (it also has a few Other_Lowercase symbols).
    private static bool IsCased(string s, int i) =>
        CharUnicodeInfo.GetUnicodeCategory(s, i) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter;

    // Case_Ignorable: marks, format characters, modifier letters and symbols, and the word-internal punctuation.
    private static bool IsCaseIgnorable(string s, int i) =>
        s[i] is '\'' or '.' or ':' or '\u00B7' or '\u0387' or '\u2018' or '\u2019' or '\u2024' or '\u2027'
            or '\uFE13' or '\uFE52' or '\uFE55' or '\uFF07' or '\uFF0E' or '\uFF1A'
        || CharUnicodeInfo.GetUnicodeCategory(s, i) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;

    // The reference cannot encode lone surrogates to UTF-8 (Python raises); U+FFFD keeps encoding total here.
    private static string ReplaceLoneSurrogates(string s)
    {
        int i = 0;
        while (i < s.Length && !char.IsSurrogate(s[i]))
        {
            i++;
        }

        if (i == s.Length)
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        foreach (var rune in s.EnumerateRunes())
        {
            sb.Append(rune.ToString());
        }

        return sb.ToString();
    }
}
