using System.Text;
using MultiModalSearch.Abstractions.Documents;

namespace MultiModalSearch.Documents;

/// <summary>
/// Decides a document's format from its first bytes, then checks the name agrees: a file named .pdf must start like a
/// PDF, a file named .html like HTML (or text). A disagreement is refused rather than guessed around, since it is
/// usually a download that saved an error page under the document's name.
/// </summary>
internal static class FormatSniffer
{
    public const int HeadLength = 1024;

    private static readonly string[] HtmlStarts = ["<!doctype html", "<html", "<head", "<body", "<meta", "<title", "<!--"];

    public static DocumentFormat Decide(string path, ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
            throw new DocumentRefusedException(path, DocumentRefusal.UnsupportedFormat, "the file is empty (0 bytes)");
        var content = Sniff(head);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        var named = NamedFormat(extension);
        if (content is null)
            throw new DocumentRefusedException(path, DocumentRefusal.UnsupportedFormat,
                "the content is neither PDF nor text (Markdown, HTML, plain text); only those are extracted");
        if (named == DocumentFormat.Pdf && content != DocumentFormat.Pdf)
            throw new DocumentRefusedException(path, DocumentRefusal.ContentMismatch,
                $"the file is named {extension} but its content is {Describe(content.Value)}, not a PDF (it does not start with %PDF-); rename it to match its content");
        if (named is DocumentFormat.Html or DocumentFormat.Markdown or DocumentFormat.PlainText && content == DocumentFormat.Pdf)
            throw new DocumentRefusedException(path, DocumentRefusal.ContentMismatch,
                $"the file is named {extension} but its content is a PDF; rename it to .pdf");
        if (content == DocumentFormat.PlainText && named is DocumentFormat.Markdown or DocumentFormat.Html)
            return named.Value; // Markdown and HTML fragments need not start with markup
        return content.Value;
    }

    private static DocumentFormat? Sniff(ReadOnlySpan<byte> head)
    {
        // PDF readers accept the header anywhere in the first kilobyte.
        if (head.IndexOf("%PDF-"u8) >= 0)
            return DocumentFormat.Pdf;
        if (head.IndexOf((byte)0) >= 0)
            return null;
        string text = Decode(head);
        if (text is null)
            return null;
        string start = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n').ToLowerInvariant();
        if (start.StartsWith("<?xml", StringComparison.Ordinal) && start.Contains("<html", StringComparison.Ordinal))
            return DocumentFormat.Html;
        if (HtmlStarts.Any(s => start.StartsWith(s, StringComparison.Ordinal)))
            return DocumentFormat.Html;
        return DocumentFormat.PlainText;
    }

    private static string Decode(ReadOnlySpan<byte> head)
    {
        // A cut at the end of the head may split a UTF-8 sequence; only invalid bytes before it mean binary.
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true);
        for (int trim = 0; trim < 4 && trim < head.Length; trim++)
        {
            try
            {
                return decoder.GetString(head[..^trim]);
            }
            catch (DecoderFallbackException)
            {
            }
        }
        return Encoding.Latin1.GetString(head); // legacy 8-bit text: still text
    }

    private static DocumentFormat? NamedFormat(string extension) => extension switch
    {
        ".pdf" => DocumentFormat.Pdf,
        ".md" or ".markdown" or ".mdown" or ".mkd" => DocumentFormat.Markdown,
        ".html" or ".htm" or ".xhtml" => DocumentFormat.Html,
        ".txt" or ".text" => DocumentFormat.PlainText,
        _ => null,
    };

    private static string Describe(DocumentFormat format) => format switch
    {
        DocumentFormat.Html => "HTML",
        DocumentFormat.Markdown => "Markdown",
        _ => "text",
    };
}
