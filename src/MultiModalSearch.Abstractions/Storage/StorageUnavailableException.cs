namespace MultiModalSearch.Abstractions.Storage;

/// <summary>The database could not be reached or refused us (wrong address, unknown host, authentication, server down).</summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException(string message) : base(message) { }

    public StorageUnavailableException(string message, Exception inner) : base(message, inner) { }
}
