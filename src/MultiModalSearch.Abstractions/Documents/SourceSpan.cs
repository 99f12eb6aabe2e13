namespace MultiModalSearch.Abstractions.Documents;

/// <summary>
/// A range of characters (UTF-16 code units) in the document's source text: the Markdown, HTML or plain-text file as
/// decoded. PDF items have none: their position is the page and box.
/// </summary>
public readonly record struct SourceSpan(int Start, int Length)
{
    public int End => Start + Length;
}
