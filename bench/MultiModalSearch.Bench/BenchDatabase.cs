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
