namespace MultiModalSearch.Abstractions.DocumentRetrieval;

/// <summary>Finds the passages and figures of a document collection that answer a question, and hands out figure crops.</summary>
public interface IDocumentRetriever
{
    Task<DocumentRetrievalResult> RetrieveAsync(DocumentQuestion question, CancellationToken cancellationToken = default);

    /// <summary>The stored WebP crop of a figure hit (<see cref="DocumentHit.Id"/> of a <see cref="DocumentHitKind.Figure"/>), or null when there is none.</summary>
    Task<byte[]?> FigureCropAsync(string collection, long figureId, CancellationToken cancellationToken = default);
}
