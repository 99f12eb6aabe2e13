using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace MultiModalSearch.Models.Tokenization.Clip;

/// <summary>
/// Splits cleaned text into words exactly as the reference's pattern (Python <c>regex</c>, IGNORECASE)
/// <c>&lt;\|startoftext\|&gt;|&lt;\|endoftext\|&gt;|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+</c>.
/// </summary>
/// <remarks>
/// A hand-written scanner instead of a .NET <see cref="System.Text.RegularExpressions.Regex"/>: .NET regex classes
/// see UTF-16 code units, so a letter outside the BMP (e.g. U+10428) is two surrogates, matches neither
/// <c>\p{L}</c> nor <c>\p{N}</c>, and falls into the symbol class, splitting words differently from Python.
/// Classifying whole code points (<see cref="Rune"/>) fixes that. Microsoft.ML.Tokenizers' own
/// <see cref="RegexPreTokenizer"/> has a second difference: it cuts out special tokens before matching,
/// whereas the reference only recognises them where the pattern itself starts a match
/// (so "!&lt;|endoftext|&gt;" is the symbol run "!&lt;|", then "endoftext", then "|&gt;").
/// Letter and number classes follow .NET's Unicode tables, so code points assigned in a newer Unicode
/// version than the reference's may be split differently.
/// </remarks>
internal sealed class ClipPreTokenizer : PreTokenizer
{
    public static readonly ClipPreTokenizer Instance = new();

    private static readonly string[] SpecialTokens = ["<|startoftext|>", "<|endoftext|>"];

    private enum RuneClass
    {
        Letter,
        Number,
        Space,
        Other,
    }

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Split(text);

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text);

    /// <summary>The (offset, length) of each word, in order; white space between words is dropped.</summary>
    public static List<(int Offset, int Length)> Split(ReadOnlySpan<char> text)
    {
        var words = new List<(int Offset, int Length)>();
        int i = 0;
        while (i < text.Length)
        {
            int length = MatchAt(text, i);
            if (length > 0)
            {
                words.Add((i, length));
                i += length;
            }
            else
            {
                i += -length;
            }
        }

        return words;
    }

    /// <summary>Length of the word starting at <paramref name="i"/>, or minus the length of white space to skip.</summary>
    private static int MatchAt(ReadOnlySpan<char> text, int i)
    {
        foreach (string special in SpecialTokens)
        {
            if (StartsWithIgnoreCase(text[i..], special))
            {
                return special.Length;
            }
        }

        int contraction = MatchContraction(text, i);
        if (contraction > 0)
        {
            return contraction;
        }

        RuneClass first = Classify(text, i, out int width);
        return first switch
        {
            RuneClass.Letter => RunLength(text, i, RuneClass.Letter),
            RuneClass.Number => width,
            RuneClass.Space => -width,
            _ => RunLength(text, i, RuneClass.Other),
        };
    }

    private static int MatchContraction(ReadOnlySpan<char> text, int i)
    {
        if (text[i] != '\'' || i + 1 >= text.Length)
        {
            return 0;
        }

        ReadOnlySpan<char> rest = text[(i + 1)..];
        if (EqualsIgnoreCase(rest[0], 's') || EqualsIgnoreCase(rest[0], 't') || EqualsIgnoreCase(rest[0], 'm')
            || EqualsIgnoreCase(rest[0], 'd'))
        {
            return 2;
        }

        return StartsWithIgnoreCase(rest, "re") || StartsWithIgnoreCase(rest, "ve") || StartsWithIgnoreCase(rest, "ll")
            ? 3
            : 0;
    }

    private static int RunLength(ReadOnlySpan<char> text, int start, RuneClass runClass)
    {
        int i = start;
        while (i < text.Length && Classify(text, i, out int width) == runClass)
        {
            i += width;
        }

        return i - start;
    }

    private static RuneClass Classify(ReadOnlySpan<char> text, int i, out int width)
    {
        // Lone surrogates decode as U+FFFD (a symbol) with width 1.
        Rune.DecodeFromUtf16(text[i..], out Rune rune, out width);
        if (Rune.IsWhiteSpace(rune))
        {
            return RuneClass.Space;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            <= UnicodeCategory.OtherLetter => RuneClass.Letter,
            >= UnicodeCategory.DecimalDigitNumber and <= UnicodeCategory.OtherNumber => RuneClass.Number,
            _ => RuneClass.Other,
        };
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<char> text, string lowerAscii)
    {
        if (text.Length < lowerAscii.Length)
        {
            return false;
        }

        for (int k = 0; k < lowerAscii.Length; k++)
        {
            if (!EqualsIgnoreCase(text[k], lowerAscii[k]))
            {
                return false;
            }
        }

        return true;
    }

    // The pattern's literals are ASCII; under Python's IGNORECASE they also match their upper case and,
    // for 's', U+017F LATIN SMALL LETTER LONG S (the only non-ASCII character that case-folds onto them).
    private static bool EqualsIgnoreCase(char c, char lowerAscii) =>
        c == lowerAscii || (char.IsAsciiLetterLower(lowerAscii) && c == lowerAscii - 32) || (lowerAscii == 's' && c == '\u017F');
}
