using MultiModalSearch.Abstractions.Text;
using MultiModalSearch.Models.Tokenization;

namespace MultiModalSearch.Core.Ingestion;

/// <summary>Counts tokens with a model's own tokenizer, for the passage chunker (which knows no model).</summary>
internal sealed class TokenizerCounter(ITextTokenizer tokenizer) : ITokenCounter
{
    public int CountTokens(string text) => tokenizer.CountTokens(text);
}
