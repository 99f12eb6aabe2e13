namespace MultiModalSearch.Abstractions.Documents;

/// <summary>The formats documents are extracted from, decided by the file's content (not only its name).</summary>
public enum DocumentFormat
{
    Pdf,
    Markdown,
    Html,
    PlainText,
}
