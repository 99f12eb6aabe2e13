using System.Collections.Concurrent;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Storage.Postgres.Embedded;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Storage;

/// <summary>
/// One real PostgreSQL cluster (with pgvector) in a temporary directory for all storage tests, stopped and
/// deleted at the end. Databases are cheap: tests that need isolation take a fresh one.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Task<string>> shared = new();

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "mms-test-" + Guid.NewGuid().ToString("N")[..12]);

    public EmbeddedPostgres Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = Path.Combine(Root, "pg") });

    public async Task DisposeAsync()
    {
        // Null when the start failed (xUnit disposes a fixture whose InitializeAsync threw).
        if (Server is not null)
        {
            await Server.StopAsync();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Leftovers in /tmp are harmless.
        }
    }

    /// <summary>A new, empty database (with the vector extension) only the caller uses.</summary>
    public Task<string> CreateDatabaseAsync() => Server.CreateDatabaseAsync("t_" + Guid.NewGuid().ToString("N")[..16]);

    /// <summary>A database shared by everyone asking with the same key (e.g. one per test class).</summary>
    public Task<string> SharedDatabaseAsync(string key) => shared.GetOrAdd(key, _ => CreateDatabaseAsync());

    public async Task<PostgresDatabase> ClientForAsync(string key) => await PostgresDatabase.ConnectAsync(await SharedDatabaseAsync(key));
}
