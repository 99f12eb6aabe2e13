namespace MultiModalSearch.Abstractions.Storage;

/// <summary>One embedding per distinct content per collection, and the approximate (HNSW) index that searches them.</summary>
public interface IVectorStore
{
    /// <summary>The content hashes among <paramref name="contentHashes"/> that already have an embedding: no need to run the model.</summary>
    Task<IReadOnlyList<byte[]>> FindEmbeddedAsync(Collection collection, IEnumerable<byte[]> contentHashes, CancellationToken cancellationToken = default);

    /// <summary>Stores embeddings by bulk copy; contents already embedded are skipped. Returns how many rows were new.</summary>
    Task<int> CopyEmbeddingsAsync(Collection collection, IReadOnlyList<EmbeddingRow> embeddings, CancellationToken cancellationToken = default);

    /// <summary>
    /// The <paramref name="k"/> indexed contents nearest to <paramref name="query"/> by cosine similarity, best first, each
    /// with every indexed path holding it. A larger <paramref name="efSearch"/> trades speed for recall.
    /// </summary>
    Task<IReadOnlyList<SearchHit>> SearchAsync(Collection collection, float[] query, int k = 10, int? efSearch = null, CancellationToken cancellationToken = default);

    /// <summary>Whether the collection's search index exists and is valid (it is dropped during bulk loads and built once at the end).</summary>
    Task<bool> HasSearchIndexAsync(Collection collection, CancellationToken cancellationToken = default);

    /// <summary>Drops the search index before a bulk load: building once is faster than inserting into the graph row by row.</summary>
    Task DropSearchIndexAsync(Collection collection, CancellationToken cancellationToken = default);

    /// <summary>Builds the search index if it is missing or was left invalid by a failed build.</summary>
    Task EnsureSearchIndexAsync(Collection collection, CancellationToken cancellationToken = default);
}
