namespace MultiModalSearch.Models.Inference;

/// <summary>
/// What <c>mms embed</c> runs: a model that embeds texts and, when <see cref="EmbedsImages"/>, image files too
/// (a CLIP-family session, or a text-only sentence embedder).
/// </summary>
public interface IEmbeddingModel : ITextEmbedder, IDisposable
{
    bool EmbedsImages { get; }

    /// <summary>Image files in, embeddings out.</summary>
    /// <exception cref="NotSupportedException">The model embeds texts only (<see cref="EmbedsImages"/> is false).</exception>
    ImageEmbeddingPipeline<string> CreateImagePipeline(PipelineOptions options);
}
