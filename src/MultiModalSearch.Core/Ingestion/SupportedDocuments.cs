namespace MultiModalSearch.Core.Ingestion;

/// <summary>The file names <c>mms ingest</c> crawls: PDF, Markdown, HTML and plain text (the content decides the reader).</summary>
public static class SupportedDocuments
{
    public static IReadOnlyList<string> Extensions { get; } = [".pdf", ".md", ".markdown", ".html", ".htm", ".xhtml", ".txt", ".text"];

    public static bool IsSupported(string path) =>
        Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);
}
