using MultiModalSearch.Imaging;
using MultiModalSearch.Models.Bert;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Resolution;

namespace MultiModalSearch.Models.Inference;

/// <summary>Opens whatever embeds texts (and maybe images) in a model folder: <c>mms embed</c>'s one entry point.</summary>
public static class EmbeddingModels
{
    /// <exception cref="UnsupportedModelException">The folder holds a model that embeds nothing (a reranker, a chat model).</exception>
    public static IEmbeddingModel Open(string directory, ComputeOptions compute, ImageDecodeOptions? decodeOptions = null)
    {
        var kind = ModelKindDetector.Detect(directory);
        return kind switch
        {
            ModelKind.Clip or ModelKind.ChineseClip => ClipSession.Open(directory, compute, decodeOptions),
            ModelKind.SentenceEmbedder => SentenceEmbedder.Open(directory, compute),
            ModelKind.CrossEncoder => throw new UnsupportedModelException(
                $"Model '{directory}' is a {kind.Describe()}: it scores (query, passage) pairs and embeds nothing; use it to rerank."),
            _ => throw new UnsupportedModelException($"Model '{directory}' is a {kind.Describe()}, which does not make embeddings."),
        };
    }
}
