using MultiModalSearch.Abstractions.Documents;

namespace MultiModalSearch.Abstractions.DocumentStorage;

/// <summary>
/// What ingestion stores for one distinct document content (SHA-256 <see cref="ContentHash"/>), shared by every path
/// holding it: its pages, its passages and its figures, with their embeddings.
/// </summary>
/// <param name="TextModel">The text embedder of the passage and caption embeddings (its id), or null when none ran.</param>
/// <param name="Warnings">What the extractor bounded or skipped, and figures that could not be rendered.</param>
public sealed record DocumentContent(
    byte[] ContentHash,
    DocumentFormat Format,
    string? Title,
    IReadOnlyList<DocumentPage> Pages,
    IReadOnlyList<StoredPassage> Passages,
    IReadOnlyList<StoredFigure> Figures,
    string? TextModel,
    IReadOnlyList<string> Warnings);
