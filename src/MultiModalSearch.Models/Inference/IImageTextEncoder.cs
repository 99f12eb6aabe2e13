using MultiModalSearch.Models.Compute;

namespace MultiModalSearch.Models.Inference;

/// <summary>
/// A dual encoder that puts texts and images into one space (CLIP, Chinese-CLIP): L2-normalised embeddings of both,
/// so a text finds images by cosine similarity.
/// </summary>
public interface IImageTextEncoder : IImageEncoder, ITextEmbedder
{
    /// <summary>Where and in which precision both towers run.</summary>
    new ComputeOptions Compute { get; }

    /// <summary>Length of the shared space's vectors, images and texts alike.</summary>
    new int Dimension { get; }
}
