using MultiModalSearch.Models.Tokenization.Clip;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Tokenization;

/// <summary>Expected values are what Python's html.unescape, str.strip, regex \s and str.lower give.</summary>
public sealed class ClipTextNormalizerTests
{
    [Theory]
    [InlineData("&amp; html &quot;entities&quot;", "& html \"entities\"")]
    [InlineData("&amp;lt;b&amp;gt;", "<b>")] // unescaped twice
    [InlineData("&ampfoo", "&foo")] // legacy name without ';', longest prefix
    [InlineData("&notit;", "¬it;")]
    [InlineData("&NewLine;x", "x")] // HTML5-only name: a newline, then stripped
    [InlineData("&#150;", "–")] // windows-1252 fix-up
    [InlineData("&#x1F431", "🐱")]
    [InlineData("a&#0;b", "a\uFFFDb")]
    [InlineData("a&#1;b", "ab")] // invalid code point vanishes
    [InlineData("&#x110000;", "\uFFFD")]
    [InlineData("&unknown; & &#", "&unknown; & &#")]
    public void Normalize_UnescapesLikePython(string input, string expected)
    {
        Assert.Equal(expected, ClipTextNormalizer.Normalize(input));
    }

    [Theory]
    [InlineData("ΟΔΟΣ ΣΑΣ", "οδος σας")] // final sigma
    [InlineData("Σ", "σ")]
    [InlineData("ΑΣ'Β", "ασ'β")] // the apostrophe is case-ignorable, so the sigma is not final
    [InlineData("İ", "i\u0307")]
    [InlineData("A DOG", "a dog")]
    public void Normalize_LowersLikePython(string input, string expected)
    {
        Assert.Equal(expected, ClipTextNormalizer.Normalize(input));
    }

    [Theory]
    [InlineData("  multiple   spaces\tand\ttabs ", "multiple spaces and tabs")]
    [InlineData("\u001Ca\u001Cb\u001C", "a\u001Cb")] // str.strip removes U+001C, regex \s does not match it
    [InlineData("a\u00A0\u3000b", "a b")]
    public void Normalize_StripsAndCollapsesLikePython(string input, string expected)
    {
        Assert.Equal(expected, ClipTextNormalizer.Normalize(input));
    }
}
