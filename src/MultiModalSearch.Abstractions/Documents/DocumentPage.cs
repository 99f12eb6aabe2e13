namespace MultiModalSearch.Abstractions.Documents;

/// <summary>One physical page: number (1-based), size in points, and whether it has a text layer.</summary>
public sealed record DocumentPage(int Number, double Width, double Height, PageTextLayer TextLayer, int WordCount);
