using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Documents.Html;
using MultiModalSearch.Documents.Markdown;
using MultiModalSearch.Documents.Pdf;
using MultiModalSearch.Documents.Text;

namespace MultiModalSearch.Documents;

/// <summary>
/// The entry point: reads a file within the limits, decides its format from its content, and hands it to the PDF,
/// Markdown, HTML or plain-text reader. Every failure is a <see cref="DocumentRefusedException"/> with a one-line reason;
/// nothing a file contains can crash the caller.
/// </summary>
public sealed class DocumentExtractor : IDocumentExtractor
{
    /// <summary>A shared instance: the extractor holds no state.</summary>
    public static DocumentExtractor Instance { get; } = new();

    public Task<ExtractedDocument> ExtractAsync(string path, DocumentExtractionOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= DocumentExtractionOptions.Default;
        string full = Path.GetFullPath(path);
        // Parsing is CPU-bound and synchronous in the libraries; run it off the caller's thread, bounded in time.
        var work = Task.Run(() => Extract(full, options, cancellationToken), cancellationToken);
        return WithDeadline(work, full, options, cancellationToken);
    }

    /// <summary>As <see cref="ExtractAsync"/>, on the calling thread.</summary>
    public static ExtractedDocument Extract(string path, DocumentExtractionOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= DocumentExtractionOptions.Default;
        path = Path.GetFullPath(path);
        byte[] bytes = ReadBounded(path, options.MaxFileBytes);
        var format = FormatSniffer.Decide(path, bytes.AsSpan(0, Math.Min(bytes.Length, FormatSniffer.HeadLength)));
        try
        {
            return format switch
            {
                DocumentFormat.Pdf => PdfExtractor.Extract(path, bytes, options, cancellationToken),
                DocumentFormat.Markdown => MarkdownExtractor.Extract(path, TextDecoding.Decode(bytes), options),
                DocumentFormat.Html => HtmlExtractor.Extract(path, TextDecoding.Decode(bytes), options),
                _ => PlainTextExtractor.Extract(path, TextDecoding.Decode(bytes)),
            };
        }
        catch (Exception e) when (e is not (DocumentRefusedException or OperationCanceledException or OutOfMemoryException))
        {
            // A library failing on input it should have refused: still one line, still this file only.
            throw new DocumentRefusedException(path, DocumentRefusal.Corrupt,
                $"the {format} reader failed ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")})", e);
        }
    }

    private static async Task<ExtractedDocument> WithDeadline(Task<ExtractedDocument> work, string path, DocumentExtractionOptions options, CancellationToken cancellationToken)
    {
        try
        {
            // The reader checks the budget between pages; this catches a single page that never finishes. Its thread
            // cannot be stopped from here, but the caller gets its answer and goes on.
            return await work.WaitAsync(options.Timeout + TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new DocumentRefusedException(path, DocumentRefusal.TimedOut,
                $"extraction took longer than {options.Timeout.TotalSeconds:0} s (DocumentExtractionOptions.Timeout)", e);
        }
    }

    private static byte[] ReadBounded(string path, long maxBytes)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            if (stream.Length > maxBytes)
                throw new DocumentRefusedException(path, DocumentRefusal.TooLarge,
                    $"the file has {stream.Length} bytes, over the limit of {maxBytes} (DocumentExtractionOptions.MaxFileBytes)");
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new DocumentRefusedException(path, DocumentRefusal.Unreadable, e.Message, e);
        }
    }
}
