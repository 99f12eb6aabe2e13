namespace MultiModalSearch.Abstractions.Documents;

/// <summary>Why a document was refused.</summary>
public enum DocumentRefusal
{
    /// <summary>No such file, or it cannot be read.</summary>
    Unreadable,
    /// <summary>Empty, or not a format that is extracted (a binary file, an image).</summary>
    UnsupportedFormat,
    /// <summary>The name says one format and the content another (HTML named .pdf).</summary>
    ContentMismatch,
    /// <summary>The PDF is encrypted with a password that is not known.</summary>
    Encrypted,
    /// <summary>The file is damaged beyond what the reader can recover (broken cross-reference table, truncated objects).</summary>
    Corrupt,
    /// <summary>More pages than the configured limit.</summary>
    TooManyPages,
    /// <summary>The file is larger than the configured limit.</summary>
    TooLarge,
    /// <summary>An embedded image claims more pixels or bytes than the image limits allow (a decompression bomb).</summary>
    ImageTooLarge,
    /// <summary>Extraction ran past the configured time budget.</summary>
    TimedOut,
}
