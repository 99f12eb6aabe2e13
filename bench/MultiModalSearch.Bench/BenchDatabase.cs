using MultiModalSearch.Storage.Postgres.Embedded;
using Npgsql;

namespace MultiModalSearch.Bench;

/// <summary>
/// The benchmarks' own embedded PostgreSQL cluster (under .mms/bench/postgres, apart from the user's), and a fresh
/// database per measurement: a collection in a shared, grown database would pay for the other collections' rows and
/// partial indexes, so every run starts from the same empty state.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly EmbeddedPostgres server;

    private BenchDatabase(EmbeddedPostgres server) => this.server = server;

    public static async Task<BenchDatabase> StartAsync(BenchPaths paths) =>
        new(await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = paths.Postgres, Database = "mms_bench" }));

    /// <summary>Drops the database if a killed run left it, creates it with pgvector and returns its connection string.</summary>
    public async Task<string> CreateFreshAsync(string name)
    {
        await DropAsync(name);
        return await server.CreateDatabaseAsync(name);
    }

    /// <summary>The connection string of an existing database, or null.</summary>
    public async Task<string?> ConnectionStringAsync(string name)
    {
        await using var admin = NpgsqlDataSource.Create(server.GetConnectionString("postgres"));
        await using var exists = admin.CreateCommand("SELECT count(*) FROM pg_database WHERE datname = $1");
        exists.Parameters.Add(new NpgsqlParameter { Value = name });
        return (long)(await exists.ExecuteScalarAsync())! > 0 ? server.GetConnectionString(name) : null;
    }

    /// <summary>The server's connection string for a database, as a libpq key/value string (for the Python peer).</summary>
    public string LibpqConnectionString(string name) => $"host={server.SocketDirectory} port={server.Port} user={server.Username} dbname={name}";

    public async Task DropAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(server.GetConnectionString("postgres"));
        // FORCE ends sessions still attached (a pool of a client that just exited); the name is our own literal.
        await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        await drop.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await server.StopAsync();
    }
}
