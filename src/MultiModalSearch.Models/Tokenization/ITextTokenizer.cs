namespace MultiModalSearch.Models.Tokenization;

/// <summary>Turns a text into the ids a model reads, start to end token, truncated to the model's length, not padded.</summary>
public interface ITextTokenizer
{
    IReadOnlyList<int> Encode(string text);
}
