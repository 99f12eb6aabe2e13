namespace MultiModalSearch.Models.Hub;

/// <summary>Transport-level failure (refused, DNS, timeout, 5xx): the resolver falls back to the cache on it.</summary>
internal sealed class HubUnreachableException : Exception
{
    public HubUnreachableException(string message, Exception? inner = null) : base(message, inner) { }

    public HubUnreachableException() { }

    public HubUnreachableException(string message) : base(message) { }
}
