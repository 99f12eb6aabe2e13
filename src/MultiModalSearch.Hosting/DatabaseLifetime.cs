using MultiModalSearch.Storage.Postgres;

namespace MultiModalSearch.Hosting;

/// <summary>
/// Opens the configured database once, on first need, and closes it with the host (which stops an embedded cluster
/// nobody else uses). Stores resolve through <see cref="Current"/>, so a host opens it before using them.
/// </summary>
public sealed class DatabaseLifetime(PostgresOptions options) : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private PostgresDatabase? database;

    public PostgresDatabase Current => database ?? throw new InvalidOperationException("the database is not open yet: call OpenAsync first");

    public async Task<PostgresDatabase> OpenAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return database ??= await PostgresDatabase.OpenAsync(options, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (database is not null)
        {
            await database.DisposeAsync();
            database = null;
        }

        gate.Dispose();
    }
}
