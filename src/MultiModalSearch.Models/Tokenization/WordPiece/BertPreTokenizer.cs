using System.Globalization;
using System.Text;

namespace MultiModalSearch.Models.Tokenization.WordPiece;

/// <summary>
/// Hugging Face tokenizers' BertPreTokenizer: split normalised text on white space (dropped), then make every
/// punctuation character a word of its own. Punctuation is ASCII punctuation (which includes $, +, &lt;, =, &gt;, ^, `,
/// |, ~) or any Unicode P* category.
/// </summary>
internal static class BertPreTokenizer
{
    /// <summary>Appends the (offset, length) of each word of <paramref name="text"/>, in order.</summary>
    public static void Split(ReadOnlySpan<char> text, List<(int Offset, int Length)> words)
    {
        var start = -1;
        for (var i = 0; i < text.Length;)
        {
            Rune.DecodeFromUtf16(text[i..], out var rune, out var width);
            if (BertTextNormalizer.IsWhiteSpace(rune) || IsPunctuation(rune))
            {
                if (start >= 0)
                {
                    words.Add((start, i - start));
                    start = -1;
                }

                if (!BertTextNormalizer.IsWhiteSpace(rune))
                {
                    words.Add((i, width));
                }
            }
            else if (start < 0)
            {
                start = i;
            }

            i += width;
        }

        if (start >= 0)
        {
            words.Add((start, text.Length - start));
        }
    }

    public static bool IsPunctuation(Rune rune)
    {
        if (rune.IsAscii)
        {
            return rune.Value is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126);
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }
}
