using MultiModalSearch.Models.Bert;
using MultiModalSearch.Models.ChineseClip;
using MultiModalSearch.Models.Resolution;
using MultiModalSearch.Models.Tokenization;
using MultiModalSearch.Models.Tokenization.Clip;

namespace MultiModalSearch.Models.Inference;

/// <summary>
/// The tokenizer a model folder's model reads, truncating as that model does (CLIP's 77, Chinese-CLIP's 52, a sentence
/// embedder's max_seq_length, a reranker's length): <c>mms tokenize</c>'s one entry point.
/// </summary>
public static class ModelTokenizers
{
    /// <exception cref="UnsupportedModelException">The folder's kind of model has no tokenizer here (yet).</exception>
    public static ITextTokenizer Open(string directory) => ModelKindDetector.Detect(directory) switch
    {
        ModelKind.Clip => ClipTokenizer.FromDirectory(directory),
        ModelKind.ChineseClip => ChineseClipEmbedder.OpenTokenizer(directory),
        ModelKind.SentenceEmbedder => SentenceEmbedder.OpenTokenizer(directory),
        ModelKind.CrossEncoder => CrossEncoderReranker.OpenTokenizer(directory),
        var kind => throw new UnsupportedModelException($"Model '{directory}' is a {kind.Describe()}, whose tokenizer is not available here."),
    };
}
