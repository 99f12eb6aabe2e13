namespace MultiModalSearch.Models.Inference;

/// <summary>
/// A dual encoder that puts texts and images into one space (CLIP, Chinese-CLIP): L2-normalised embeddings of both,
/// so a text finds images by cosine similarity.
/// </summary>
public interface IImageTextEncoder : IImageEncoder, ITextEmbedder
{
}
