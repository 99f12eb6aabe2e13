using MultiModalSearch.Models.Compute;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Inference;

/// <summary>
/// Preprocessed image batches in, L2-normalised embeddings out: what <see cref="ImageEmbeddingPipeline{TInput}"/> runs.
/// Not thread-safe: one encoder thread owns it.
/// </summary>
public interface IImageEncoder : IDisposable
{
    ComputeOptions Compute { get; }

    int Dimension { get; }

    /// <summary>Side of the square pixel input the model takes.</summary>
    int ImageSize { get; }

    /// <summary>Embeds <paramref name="count"/> images from a host batch [n, 3, S, S] (float32, possibly pinned) into <paramref name="destination"/>.</summary>
    void EmbedImages(Tensor hostPixels, int count, Span<float> destination);
}
