using BitFaster.Caching.Lru;
using MultiModalSearch.Models.Inference;
using MultiModalSearch.Models.Resolution;
using TorchSharp;

namespace MultiModalSearch.Core.Retrieval;

/// <summary>
/// One loaded model embedding queries. The model runs one call at a time (TorchSharp modules are not re-entrant), so
/// concurrent callers take turns; texts of concurrent callers share forward passes (<see cref="TextEmbeddingBatcher"/>)
/// and repeated texts come from an LRU cache.
/// </summary>
public sealed class QueryEncoder : IDisposable
{
    private readonly Lock gate = new();
    private readonly ClipSession session;
    private readonly TextEmbeddingBatcher batcher;
    private readonly FastConcurrentLru<string, float[]>? cache;

    public QueryEncoder(ResolvedModel model, ClipSession session, EncoderOptions? options = null)
    {
        options ??= new EncoderOptions();
        Model = model;
        this.session = session;
        batcher = new TextEmbeddingBatcher(EmbedTextBatch, options.BatchWindow, options.MaxBatch);
        cache = options.CacheEntries > 0 ? new FastConcurrentLru<string, float[]>(options.CacheEntries) : null;
    }

    public ResolvedModel Model { get; }

    public int Dimension => session.Dimension;

    /// <summary>The most tokens a query text can have; the model reads no further.</summary>
    public int MaxTextTokens => session.Tokenizer.MaxLength;

    public int CountTokens(string text) => session.Tokenizer.CountTokens(text);

    /// <summary>Forward passes and texts embedded by the batcher so far.</summary>
    public (long Passes, long Texts) BatchCounts => batcher.Counts;

    public float[] EmbedText(string text)
    {
        lock (gate)
        {
            return session.EmbedText(text);
        }
    }

    /// <summary>A text's embedding from the cache, or from a forward pass shared with concurrent callers. Callers must not change it.</summary>
    public async Task<float[]> EmbedTextAsync(string text, CancellationToken cancellationToken = default)
    {
        if (cache is not null && cache.TryGet(text, out var cached))
        {
            return cached;
        }

        var vector = await batcher.EmbedAsync(text, cancellationToken);
        cache?.AddOrUpdate(text, vector);
        return vector;
    }

    /// <summary>Several texts (image-to-text candidates), each through the cache and the batcher.</summary>
    public async Task<float[][]> EmbedTextsAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
        await Task.WhenAll(texts.Select(t => EmbedTextAsync(t, cancellationToken)));

    /// <exception cref="Imaging.ImageDecodeException">The bytes are not an image we can read, or are over the limits.</exception>
    public float[] EmbedImage(ReadOnlySpan<byte> encoded, string name)
    {
        lock (gate)
        {
            return session.EmbedImage(encoded, name);
        }
    }

    /// <summary>
    /// Runs each tower once, so the first real query does not pay for lazy initialisation (kernel selection, page
    /// faults of the weights).
    /// </summary>
    public void WarmUp()
    {
        EmbedText("a photo");
        var size = session.Embedder.ImageSize;
        lock (gate)
        {
            using var pixels = torch.zeros(1, 3, size, size);
            session.Embedder.EmbedImages(pixels, 1, new float[Dimension]);
        }
    }

    public void Dispose()
    {
        batcher.DisposeAsync().AsTask().GetAwaiter().GetResult();
        session.Dispose();
    }

    private float[][] EmbedTextBatch(IReadOnlyList<string> texts)
    {
        lock (gate)
        {
            return session.EmbedTexts(texts, Math.Max(1, texts.Count));
        }
    }
}
