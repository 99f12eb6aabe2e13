namespace MultiModalSearch.Abstractions.Documents;

/// <summary>Turns a document file into pages, text items in reading order, figures and captions.</summary>
public interface IDocumentExtractor
{
    /// <summary>
    /// Extracts the document at <paramref name="path"/>, choosing the reader by the file's content.
    /// </summary>
    /// <exception cref="DocumentRefusedException">The file is unreadable, hostile or over a limit; the message says which.</exception>
    Task<ExtractedDocument> ExtractAsync(string path, DocumentExtractionOptions? options = null, CancellationToken cancellationToken = default);
}
