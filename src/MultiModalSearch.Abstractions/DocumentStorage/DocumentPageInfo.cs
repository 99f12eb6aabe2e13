using MultiModalSearch.Abstractions.Documents;

namespace MultiModalSearch.Abstractions.DocumentStorage;

/// <summary>A live document of a collection, as the page viewer needs it: where its file is and its page sizes (points).</summary>
public sealed record DocumentPageInfo(long Id, string Path, DocumentFormat Format, IReadOnlyList<(double Width, double Height)> Pages);
