using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Storage.Postgres.Embedded;

/// <summary>Where and how the project-local PostgreSQL cluster lives. Every property has a working default.</summary>
public sealed class EmbeddedPostgresOptions
{
    /// <summary>Cluster directory; default <c>~/.local/share/mms/postgres</c> (the hosts configure their own).</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Directory with initdb, pg_ctl and postgres; default: the newest /usr/lib/postgresql/N/bin that has pgvector.</summary>
    public string? BinDirectory { get; set; }

    /// <summary>Private directory for the Unix socket; default a sibling of the data directory (or /tmp when that path is too long for a socket).</summary>
    public string? SocketDirectory { get; set; }

    /// <summary>Unprivileged system user that owns and runs the cluster when this process is root.</summary>
    public string ServiceUser { get; set; } = "postgres";

    /// <summary>Database created for the application.</summary>
    public string Database { get; set; } = "mms";

    /// <summary>Only names the socket file (.s.PGSQL.port): nothing listens on TCP.</summary>
    public int Port { get; set; } = 5432;

    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
