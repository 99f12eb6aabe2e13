namespace MultiModalSearch.Models.Resolution;

/// <summary>Words for a <see cref="ModelKind"/> in messages that tell a user which model they passed.</summary>
public static class ModelKindExtensions
{
    public static string Describe(this ModelKind kind) => kind switch
    {
        ModelKind.Clip => "CLIP image-text model",
        ModelKind.ChineseClip => "Chinese-CLIP image-text model",
        ModelKind.SentenceEmbedder => "sentence embedder (BERT)",
        ModelKind.CrossEncoder => "cross-encoder reranker (BertForSequenceClassification)",
        ModelKind.Llava => "LLaVA vision-language model",
        _ => kind.ToString(),
    };
}
