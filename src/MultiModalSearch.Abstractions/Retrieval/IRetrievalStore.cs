using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Abstractions.Retrieval;

/// <summary>The reads a search makes. An implementation may serve them from a read replica.</summary>
public interface IRetrievalStore
{
    /// <summary>
    /// The nearest matching contents by cosine distance, best first. With a filter, never fewer than
    /// <see cref="CandidateQuery.Limit"/> when that many contents match.
    /// </summary>
    Task<CandidateSet> NearestAsync(Collection collection, CandidateQuery query, CancellationToken cancellationToken = default);

    /// <summary>Contents whose texts or file names contain the words of <paramref name="text"/>, best first.</summary>
    Task<IReadOnlyList<KeywordHit>> KeywordAsync(Collection collection, string text, SearchFilter filter, int limit, CancellationToken cancellationToken = default);

    /// <summary>Stored embeddings of contents of the collection (absent ones are left out).</summary>
    Task<IReadOnlyDictionary<string, float[]>> EmbeddingsAsync(Collection collection, IReadOnlyList<byte[]> contentHashes, CancellationToken cancellationToken = default);

    /// <summary>Summaries of indexed contents with their cosine distance to <paramref name="vector"/>, keyed by lower-case hex hash.</summary>
    Task<IReadOnlyDictionary<string, VectorCandidate>> CandidatesAsync(Collection collection, IReadOnlyList<byte[]> contentHashes, float[] vector, bool withEmbeddings, CancellationToken cancellationToken = default);

    /// <summary>
    /// About how many contents the collection's vector index holds (the planner's estimate; an exact count when the
    /// index has none yet). Cheap enough to ask now and then, not per query.
    /// </summary>
    Task<long> ApproximateSizeAsync(Collection collection, CancellationToken cancellationToken = default);

    /// <summary>The text items of indexed contents.</summary>
    Task<IReadOnlyList<TextItem>> TextsAsync(Collection collection, IReadOnlyList<byte[]> contentHashes, CancellationToken cancellationToken = default);
}
