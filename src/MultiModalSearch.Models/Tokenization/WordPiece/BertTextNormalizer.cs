using System.Globalization;
using System.Text;

namespace MultiModalSearch.Models.Tokenization.WordPiece;

/// <summary>
/// Hugging Face tokenizers' BertNormalizer, step for step: clean, space out CJK ideographs, strip accents, lower-case.
/// </summary>
/// <remarks>
/// Written here rather than taken from Microsoft.ML.Tokenizers' BertTokenizer, whose normalisation differs from the
/// reference in ways that change ids: it deletes tabs and new lines instead of turning them into spaces (so
/// "a\tb" becomes one word "ab"), keeps format characters such as U+200D, lower-cases only upper-case letters
/// (not title-case ones or U+2160 Roman numerals), also strips spacing marks, skips U+3400, and re-composes the
/// whole text (NFC) at the end. Code points are classified with .NET's Unicode tables; the reference's are older,
/// so a character assigned since Unicode 9 (a recent emoji) is dropped there as unassigned and kept here as [UNK].
/// </remarks>
internal static class BertTextNormalizer
{
    public static string Normalize(string text, BertNormalization options)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var rune in Runes(text))
        {
            if (options.CleanText && IsRemoved(rune))
            {
                continue;
            }

            if (options.CleanText && IsWhiteSpace(rune))
            {
                builder.Append(' ');
            }
            else if (options.HandleChineseChars && IsChineseCharacter(rune.Value))
            {
                builder.Append(' ').Append(rune.ToString()).Append(' ');
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        var normalized = builder.ToString();
        if (options.StripAccents)
        {
            normalized = StripNonSpacingMarks(normalized.Normalize(NormalizationForm.FormD));
        }

        return options.Lowercase ? Lowercase(normalized) : normalized;
    }

    /// <summary>The CJK ideograph blocks the reference (tokenizers' bert.rs) spaces out.</summary>
    public static bool IsChineseCharacter(int codePoint) => codePoint switch
    {
        >= 0x4E00 and <= 0x9FFF => true,
        >= 0x3400 and <= 0x4DBF => true,
        >= 0x20000 and <= 0x2A6DF => true,
        >= 0x2A700 and <= 0x2B73F => true,
        >= 0x2B740 and <= 0x2B81F => true,
        // tokenizers starts this block at 0x2B920 where Python's BasicTokenizer says 0x2B820; the fast one is the reference.
        >= 0x2B920 and <= 0x2CEAF => true,
        >= 0xF900 and <= 0xFAFF => true,
        >= 0x2F800 and <= 0x2FA1F => true,
        _ => false,
    };

    /// <summary>White space for BERT: tab, new line, carriage return and Unicode's White_Space.</summary>
    public static bool IsWhiteSpace(Rune rune) => Rune.IsWhiteSpace(rune);

    // NUL, U+FFFD and the "Other" categories (control, format, private use, unassigned), except the three white-space
    // controls, which become spaces.
    private static bool IsRemoved(Rune rune)
    {
        if (rune.Value is 0 or 0xFFFD)
        {
            return true;
        }

        if (rune.Value is '\t' or '\n' or '\r')
        {
            return false;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate;
    }

    private static string StripNonSpacingMarks(string decomposed)
    {
        var builder = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }

    // Character by character like Rust's char::to_lowercase: the full mapping, whose only multi-character case is
    // U+0130 (capital I with dot) -> "i" + U+0307; no context-dependent final sigma.
    private static string Lowercase(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == 0x130)
            {
                builder.Append("i\u0307");
            }
            else
            {
                builder.Append(Rune.ToLowerInvariant(rune).ToString());
            }
        }

        return builder.ToString();
    }

    // Lone surrogates cannot come from UTF-8 text (the reference never sees them) and would make NFD throw: dropped.
    private static IEnumerable<Rune> Runes(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            var status = Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed);
            i += consumed;
            if (status == System.Buffers.OperationStatus.Done)
            {
                yield return rune;
            }
        }
    }
}
