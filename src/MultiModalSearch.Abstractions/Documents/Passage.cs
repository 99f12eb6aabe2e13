namespace MultiModalSearch.Abstractions.Documents;

/// <summary>
/// A piece of a document cut to a token budget for embedding and retrieval.
/// </summary>
/// <param name="Index">Position among the document's passages.</param>
/// <param name="HeadingPath">The headings it sits under, outermost first.</param>
/// <param name="FirstPage">Physical page (1-based) where it starts; <paramref name="LastPage"/> where it ends.</param>
/// <param name="Boxes">The boxes of the text it holds, page by page (empty for formats without pages).</param>
/// <param name="Span">Character span in the source for text formats, else null.</param>
/// <param name="TokenCount">Tokens as counted by the <c>ITokenCounter</c> it was cut with.</param>
/// <param name="ItemIndexes">The <see cref="DocumentItem"/>s it draws from.</param>
public sealed record Passage(
    string DocumentPath,
    int Index,
    string Text,
    IReadOnlyList<string> HeadingPath,
    int FirstPage,
    int LastPage,
    IReadOnlyList<PageBox> Boxes,
    SourceSpan? Span,
    int TokenCount,
    IReadOnlyList<int> ItemIndexes);
