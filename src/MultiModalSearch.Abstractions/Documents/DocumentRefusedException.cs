namespace MultiModalSearch.Abstractions.Documents;

/// <summary>
/// A document that cannot or must not be extracted. The message is one line: the file, what is wrong, and what to do.
/// Ingestion records it against the file and goes on with the next one.
/// </summary>
public sealed class DocumentRefusedException : Exception
{
    public DocumentRefusedException()
    {
    }

    public DocumentRefusedException(string message)
        : base(message)
    {
    }

    public DocumentRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DocumentRefusedException(string path, DocumentRefusal reason, string cause, Exception? innerException = null)
        : base($"Cannot extract '{path}': {cause}", innerException)
    {
        Path = path;
        Reason = reason;
    }

    public string? Path { get; }

    public DocumentRefusal Reason { get; }
}
