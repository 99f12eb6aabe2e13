using System.Text.RegularExpressions;

namespace MultiModalSearch.Documents.Passages;

/// <summary>Splits text at sentence ends (., !, ? or 。！？ followed by a space or a CJK sentence mark), keeping the punctuation.</summary>
internal static partial class SentenceSplitter
{
    [GeneratedRegex(@"(?<=[.!?])\s+(?=[\p{Lu}\p{N}""'(\[])|(?<=[。！？])", RegexOptions.CultureInvariant)]
    private static partial Regex Boundary();

    public static IEnumerable<string> Split(string text) =>
        Boundary().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0);
}
