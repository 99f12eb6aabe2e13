using MultiModalSearch.Core.Ingestion;
using MultiModalSearch.Models.Bert;

namespace MultiModalSearch.Core.DocumentRetrieval;

/// <summary>
/// The models retrieval may use, each optional: CLIP for figures by text-to-image (<paramref name="Figures"/>), the text
/// embedder the documents were embedded with, and a cross-encoder.
/// </summary>
public sealed record DocumentRetrievalModels(IFigureQueryEncoder? Figures, DocumentTextModel? Text, CrossEncoderReranker? Reranker)
{
    public static DocumentRetrievalModels None { get; } = new(null, null, null);
}
