namespace MultiModalSearch.Models.Tokenization.WordPiece;

/// <summary>The switches of Hugging Face's BertNormalizer (tokenizer.json) / BasicTokenizer (tokenizer_config.json).</summary>
/// <param name="CleanText">Drop control, format, private-use and unassigned characters; turn every white space into a space.</param>
/// <param name="HandleChineseChars">Put spaces around CJK ideographs, so each becomes a word of its own.</param>
/// <param name="StripAccents">Decompose (NFD) and drop non-spacing marks: café -> cafe.</param>
/// <param name="Lowercase">Lower-case every character (after stripping accents).</param>
public sealed record BertNormalization(bool CleanText, bool HandleChineseChars, bool StripAccents, bool Lowercase)
{
    /// <summary>bert-base-uncased's: everything on.</summary>
    public static BertNormalization Uncased { get; } = new(true, true, true, true);
}
