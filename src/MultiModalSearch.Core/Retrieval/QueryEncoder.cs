using MultiModalSearch.Models.Inference;
using MultiModalSearch.Models.Resolution;

namespace MultiModalSearch.Core.Retrieval;

/// <summary>
/// One loaded model embedding queries. The model runs one call at a time (TorchSharp modules are not re-entrant), so
/// concurrent callers take turns.
/// </summary>
public sealed class QueryEncoder(ResolvedModel model, ClipSession session) : IDisposable
{
    private readonly Lock gate = new();

    public ResolvedModel Model { get; } = model;

    public int Dimension => session.Dimension;

    /// <summary>The most tokens a query text can have; the model reads no further.</summary>
    public int MaxTextTokens => session.Tokenizer.ContextLength;

    public int CountTokens(string text) => session.Tokenizer.CountTokens(text);

    public float[] EmbedText(string text)
    {
        lock (gate)
        {
            return session.EmbedText(text);
        }
    }

    /// <exception cref="Imaging.ImageDecodeException">The bytes are not an image we can read, or are over the limits.</exception>
    public float[] EmbedImage(ReadOnlySpan<byte> encoded, string name)
    {
        lock (gate)
        {
            return session.EmbedImage(encoded, name);
        }
    }

    public void Dispose() => session.Dispose();
}
