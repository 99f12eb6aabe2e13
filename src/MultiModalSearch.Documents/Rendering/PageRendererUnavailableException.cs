namespace MultiModalSearch.Documents.Rendering;

/// <summary>A renderer that cannot run on this machine at all (its native library or program is missing).</summary>
public sealed class PageRendererUnavailableException : Exception
{
    public PageRendererUnavailableException()
    {
    }

    public PageRendererUnavailableException(string message)
        : base(message)
    {
    }

    public PageRendererUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
