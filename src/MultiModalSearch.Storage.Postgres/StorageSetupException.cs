using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Storage.Postgres;

/// <summary>The database server or one of its parts (binaries, pgvector) is missing or could not start.</summary>
public sealed class StorageSetupException : Exception
{
    public StorageSetupException(string message) : base(message) { }

    public StorageSetupException(string message, Exception inner) : base(message, inner) { }
}
