using MultiModalSearch.Abstractions.Text;

namespace MultiModalSearch.Testing;

/// <summary>Counts whitespace-separated words: a tokenizer stand-in for chunking tests, where only the counting matters.</summary>
public sealed class WordTokenCounter : ITokenCounter
{
    public int Calls { get; private set; }

    public int CountTokens(string text)
    {
        Calls++;
        return text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
    }
}
