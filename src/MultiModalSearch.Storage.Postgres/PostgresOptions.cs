namespace MultiModalSearch.Storage.Postgres;

/// <summary>
/// Which PostgreSQL to use. With no <see cref="Url"/> the project-local embedded cluster in <see cref="DataDirectory"/>
/// is started on demand and stopped when its last user is done.
/// </summary>
public sealed class PostgresOptions
{
    /// <summary>An Npgsql connection string or a postgres:// URL; null or blank for the embedded cluster.</summary>
    public string? Url { get; set; }

    /// <summary>
    /// A read-only copy (a streaming replica) that searches read from, while writes, keys and visibility stay on the
    /// primary. Null or blank: everything on the primary.
    /// </summary>
    public string? ReadUrl { get; set; }

    /// <summary>The embedded cluster's directory (created on first use).</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Cap on what an HNSW build may ask for (e.g. "4GB"); unset: 1GB for an external server, half this machine's memory embedded.</summary>
    public string? IndexBuildMemory { get; set; }
}
