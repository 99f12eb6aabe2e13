namespace MultiModalSearch.Abstractions.Text;

/// <summary>Counts tokens the way a given text model's tokenizer does, so passages fit its input.</summary>
public interface ITokenCounter
{
    int CountTokens(string text);
}
