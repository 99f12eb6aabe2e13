using MultiModalSearch.Models.Compute;

namespace MultiModalSearch.Models.Inference;

/// <summary>Texts in, one embedding per text out, in input order.</summary>
public interface ITextEmbedder
{
    ComputeOptions Compute { get; }

    /// <summary>Length of every embedding.</summary>
    int Dimension { get; }

    /// <summary>Embeddings of <paramref name="texts"/> in their order, computed <paramref name="batchSize"/> at a time.</summary>
    float[][] EmbedTexts(IReadOnlyList<string> texts, int batchSize);
}
