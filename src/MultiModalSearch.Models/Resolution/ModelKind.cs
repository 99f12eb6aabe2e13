namespace MultiModalSearch.Models.Resolution;

/// <summary>What a model folder holds, which decides the files it needs and the code that runs it.</summary>
public enum ModelKind
{
    /// <summary>A CLIP dual encoder (<c>model_type</c> clip, or none: configs older than the field).</summary>
    Clip,

    /// <summary>Chinese-CLIP (<c>chinese_clip</c>): a BERT text tower and a CLIP vision tower.</summary>
    ChineseClip,

    /// <summary>A BERT encoder used for sentence embeddings: the sentence-transformers layout (<c>modules.json</c>,
    /// pooling and normalisation modules) or a bare BERT, which sentence-transformers mean-pools.</summary>
    SentenceEmbedder,

    /// <summary>A BERT cross-encoder (<c>BertForSequenceClassification</c>) that scores (query, passage) pairs.</summary>
    CrossEncoder,

    /// <summary>A LLaVA vision-language model (<c>llava</c>, <c>llava_next</c>).</summary>
    Llava,
}
