using MultiModalSearch.Storage.Postgres.Embedded;
using MultiModalSearch.Storage.Postgres;
using Npgsql;

namespace MultiModalSearch.Cli;

/// <summary>
/// The database a command talks to: <c>--db</c>, else <c>$MMS_DATABASE_URL</c>, else the project-local embedded cluster,
/// started on demand and stopped when the last command using it ends.
/// </summary>
internal sealed class DatabaseSession : IAsyncDisposable
{
    private readonly EmbeddedPostgres? embedded;

    private DatabaseSession(StorageClient storage, EmbeddedPostgres? embedded, string description)
    {
        Storage = storage;
        this.embedded = embedded;
        Description = description;
    }

    public StorageClient Storage { get; }

    /// <summary>Where the data lives, for messages (no password).</summary>
    public string Description { get; }

    public static async Task<DatabaseSession> OpenAsync(string? connectionString, CancellationToken cancellationToken)
    {
        // Caps what an HNSW build asks the server for; unset: 1GB for an external server, half this machine's memory embedded.
        var configuredMemory = HnswBuildMemory.FromEnvironment();
        var url = string.IsNullOrWhiteSpace(connectionString) ? Environment.GetEnvironmentVariable("MMS_DATABASE_URL") : connectionString;
        if (!string.IsNullOrWhiteSpace(url))
        {
            var normalized = PostgresConnectionString.Normalize(url);
            var builder = new NpgsqlConnectionStringBuilder(normalized);
            var external = await StorageClient.OpenAsync(normalized, cancellationToken: cancellationToken);
            external.BuildMemory = configuredMemory ?? HnswBuildMemory.ExternalDefault;
            return new DatabaseSession(external, null, $"{builder.Host}/{builder.Database}");
        }

        var embedded = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = Environment.GetEnvironmentVariable("MMS_DATA_DIR") }, cancellationToken);
        try
        {
            var storage = await StorageClient.OpenAsync(embedded.ConnectionString, cancellationToken: cancellationToken);
            storage.BuildMemory = configuredMemory ?? HnswBuildMemory.ForLocalServer();
            return new DatabaseSession(storage, embedded, $"embedded PostgreSQL in {embedded.DataDirectory}");
        }
        catch
        {
            await embedded.StopAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        var othersConnected = embedded is not null && await OtherClientsAsync();
        await Storage.DisposeAsync();
        if (embedded is not null && !othersConnected)
        {
            await embedded.StopAsync(evenIfAdopted: true);
        }
    }

    /// <summary>Another of our processes (a second worker, say) still uses the embedded cluster: leave it running.</summary>
    private async Task<bool> OtherClientsAsync()
    {
        try
        {
            await using var connection = await Storage.DataSource.OpenConnectionAsync();
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND datname = current_database()", connection);
            return (long)(await command.ExecuteScalarAsync())! > 0;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }
}
