namespace MultiModalSearch.Abstractions.Storage;

/// <summary>How a collection stores and indexes its embeddings.</summary>
public enum EmbeddingPrecision
{
    /// <summary>pgvector <c>halfvec</c> (float16): half the table and index size; recall is unchanged in our measurements (docs/storage.md).</summary>
    Half,

    /// <summary>pgvector <c>vector</c> (float32): full precision.</summary>
    Full,
}
