namespace MultiModalSearch.Storage.Postgres;

/// <summary>The configured database address is not a connection string or postgres:// URL we can read.</summary>
public sealed class DatabaseUrlException : Exception
{
    public DatabaseUrlException(string message, Exception inner) : base(message, inner) { }
}
