namespace MultiModalSearch.Models.Tokenization;

/// <summary>Turns a text into the ids a model reads, start to end token, truncated to the model's length, not padded.</summary>
public interface ITextTokenizer
{
    /// <summary>The most ids a text keeps, start and end tokens included; the model reads no further.</summary>
    int MaxLength { get; }

    IReadOnlyList<int> Encode(string text);

    /// <summary>How many ids the text has with its start and end tokens, before truncation to <see cref="MaxLength"/>.</summary>
    int CountTokens(string text);
}
