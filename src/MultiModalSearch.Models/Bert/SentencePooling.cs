namespace MultiModalSearch.Models.Bert;

/// <summary>How a sentence embedder turns token states into one vector (sentence-transformers' Pooling module).</summary>
public enum SentencePooling
{
    /// <summary>The [CLS] token's state (bge).</summary>
    Cls,

    /// <summary>The mean over real tokens, padding excluded (all-MiniLM, and the default for a bare BERT).</summary>
    Mean,
}
