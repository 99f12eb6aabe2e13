namespace MultiModalSearch.Abstractions.Documents;

/// <summary>Whether a page has text to extract. No OCR is done: a scanned page is recorded as such.</summary>
public enum PageTextLayer
{
    /// <summary>Words were found.</summary>
    Text,
    /// <summary>No words, and an image covers most of the page: a scan without a text layer.</summary>
    ScannedWithoutText,
    /// <summary>No words and no large image (a blank page or a page of drawings only).</summary>
    Empty,
}
