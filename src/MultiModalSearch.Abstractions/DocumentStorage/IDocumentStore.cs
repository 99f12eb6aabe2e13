using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Abstractions.DocumentStorage;

/// <summary>
/// Documents, passages and figures of a collection, keyed by content hash. A content whose embedding goes (its last path
/// was pruned or changed) loses its document rows with it, in the same transaction.
/// </summary>
public interface IDocumentStore
{
    /// <summary>Stores documents, each in one transaction; a content stored before is replaced (a redone flush writes the same rows again).</summary>
    Task PutDocumentsAsync(Collection collection, IReadOnlyList<DocumentContent> documents, CancellationToken cancellationToken = default);

    /// <summary>Counts over the documents that an indexed path holds.</summary>
    Task<DocumentCounts> CountAsync(Collection collection, CancellationToken cancellationToken = default);

    /// <summary>The question's full-text terms and how common each is among the collection's passages and figure texts.</summary>
    Task<TermStatistics> TermStatisticsAsync(Collection collection, string question, CancellationToken cancellationToken = default);

    /// <summary>Passages holding any of the question's terms, best text rank first, each with the terms it holds.</summary>
    Task<IReadOnlyList<DocumentCandidate>> SearchPassageTextAsync(Collection collection, string question, int limit, CancellationToken cancellationToken = default);

    /// <summary>Figures whose caption, inner or nearby text holds any of the question's terms.</summary>
    Task<IReadOnlyList<DocumentCandidate>> SearchFigureTextAsync(Collection collection, string question, int limit, CancellationToken cancellationToken = default);

    /// <summary>Passages nearest to <paramref name="query"/> among those embedded by <paramref name="textModel"/> (cosine similarity).</summary>
    Task<IReadOnlyList<DocumentCandidate>> SearchPassageVectorsAsync(Collection collection, string textModel, float[] query, int limit, CancellationToken cancellationToken = default);

    /// <summary>Figures whose caption embedding (by <paramref name="textModel"/>) is nearest to <paramref name="query"/>.</summary>
    Task<IReadOnlyList<DocumentCandidate>> SearchFigureTextVectorsAsync(Collection collection, string textModel, float[] query, int limit, CancellationToken cancellationToken = default);

    /// <summary>Figures whose crop's CLIP embedding is nearest to <paramref name="query"/> (a CLIP text embedding).</summary>
    Task<IReadOnlyList<DocumentCandidate>> SearchFigureImagesAsync(Collection collection, float[] query, int limit, CancellationToken cancellationToken = default);

    /// <summary>The text models the collection's live documents were embedded with (none: full text only).</summary>
    Task<IReadOnlyList<string>> TextModelsAsync(Collection collection, CancellationToken cancellationToken = default);

    /// <summary>A live figure's WebP crop, or null.</summary>
    Task<byte[]?> FigureCropAsync(Collection collection, long figureId, CancellationToken cancellationToken = default);

    /// <summary>A live document of the collection, or null (another collection's document is null too).</summary>
    Task<DocumentPageInfo?> DocumentAsync(Collection collection, long documentId, CancellationToken cancellationToken = default);

    /// <summary>A cached page render, or null.</summary>
    Task<byte[]?> PageRenderAsync(long documentId, int page, int dpi, CancellationToken cancellationToken = default);

    /// <summary>Caches a page render (a concurrent render of the same page keeps the first).</summary>
    Task PutPageRenderAsync(long documentId, int page, int dpi, byte[] webp, int width, int height, CancellationToken cancellationToken = default);
}
