using System.Net.Sockets;
using Dapper;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Storage.Postgres.Embedded;
using Npgsql;

namespace MultiModalSearch.Storage.Postgres;

/// <summary>
/// One open database with its stores: an external server, or the embedded cluster started on demand. Disposing it closes
/// the pool and, for the embedded cluster, stops the server unless another of our processes still uses it.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly PostgresConnections connections;
    private readonly EmbeddedPostgres? embedded;
    private PostgresConnections? readConnections;

    private PostgresDatabase(PostgresConnections connections, EmbeddedPostgres? embedded, string description, HnswBuildMemory buildMemory)
    {
        this.connections = connections;
        this.embedded = embedded;
        Description = description;
        Collections = new PostgresCollectionStore(connections);
        WorkQueue = new PostgresWorkQueue(connections);
        Vectors = new PostgresVectorStore(connections, buildMemory);
        Texts = new PostgresTextStore(connections);
        Thumbnails = new PostgresThumbnailStore(connections);
        Access = new PostgresAccessStore(connections);
        Retrieval = new PostgresRetrievalStore(connections);
        Assets = new PostgresAssetStore(connections, connections);
        Documents = new PostgresDocumentStore(connections);
    }

    /// <summary>Where the data lives, for messages (never a password).</summary>
    public string Description { get; }

    public PostgresCollectionStore Collections { get; }

    public PostgresWorkQueue WorkQueue { get; }

    public PostgresVectorStore Vectors { get; }

    public PostgresTextStore Texts { get; }

    public PostgresThumbnailStore Thumbnails { get; }

    /// <summary>Documents, passages and figures (ingestion writes them; document retrieval reads them).</summary>
    public PostgresDocumentStore Documents { get; }

    /// <summary>Visibility and API keys (primary).</summary>
    public PostgresAccessStore Access { get; }

    /// <summary>The reads of a search (the read replica when one is configured).</summary>
    public PostgresRetrievalStore Retrieval { get; private set; }

    /// <summary>Contents for the service (reads on the read replica when one is configured).</summary>
    public PostgresAssetStore Assets { get; private set; }

    /// <summary>Where searches read, for messages (never a password); null when they read the primary.</summary>
    public string? ReadDescription { get; private set; }

    /// <summary>The pool, for tests that look at the tables directly.</summary>
    internal NpgsqlDataSource DataSource => connections.DataSource;

    /// <summary>Our own connections carry this name, so that the last user of an embedded cluster can tell others apart.</summary>
    internal static string ApplicationName { get; } = $"mms:{Environment.ProcessId}";

    /// <summary>Connects as <paramref name="options"/> say and brings the schema up to date.</summary>
    /// <exception cref="DatabaseUrlException">The URL cannot be read.</exception>
    /// <exception cref="StorageUnavailableException">The server cannot be reached or refuses us.</exception>
    /// <exception cref="StorageSetupException">The embedded cluster cannot be set up or started.</exception>
    public static async Task<PostgresDatabase> OpenAsync(PostgresOptions options, CancellationToken cancellationToken = default)
    {
        var database = await OpenPrimaryAsync(options, cancellationToken);
        if (!string.IsNullOrWhiteSpace(options.ReadUrl))
        {
            try
            {
                await database.AttachReadReplicaAsync(options.ReadUrl, cancellationToken);
            }
            catch
            {
                await database.DisposeAsync();
                throw;
            }
        }

        return database;
    }

    /// <summary>
    /// Sends the reads of searches to a read-only copy (a streaming replica) of this database. It is not migrated (a
    /// replica cannot be written): it follows the primary's schema through replication.
    /// </summary>
    /// <exception cref="DatabaseUrlException">The URL cannot be read.</exception>
    /// <exception cref="StorageUnavailableException">The replica cannot be reached.</exception>
    public async Task AttachReadReplicaAsync(string url, CancellationToken cancellationToken = default)
    {
        var (connectionString, where) = ReadUrl(url);
        var dataSource = PostgresConnections.CreateDataSource(connectionString);
        try
        {
            await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
            {
                // The pool learnt the types when it opened; the replica has pgvector's through replication.
                await connection.ReloadTypesAsync(cancellationToken);
            }
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            await dataSource.DisposeAsync();
            throw new StorageUnavailableException($"cannot reach the read replica ({where}): {OneLine(e.Message)}", e);
        }

        readConnections = new PostgresConnections(dataSource);
        Retrieval = new PostgresRetrievalStore(readConnections);
        Assets = new PostgresAssetStore(readConnections, connections);
        ReadDescription = where;
    }

    /// <summary>Whether the primary and, when configured, the read replica answer a trivial query.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        foreach (var pool in readConnections is null ? [connections] : new[] { connections, readConnections })
        {
            await using var connection = await pool.OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<int>(PostgresConnections.Command("SELECT 1", null, null, cancellationToken));
        }

        return true;
    }

    private static async Task<PostgresDatabase> OpenPrimaryAsync(PostgresOptions options, CancellationToken cancellationToken)
    {
        var configuredMemory = string.IsNullOrWhiteSpace(options.IndexBuildMemory) ? null : HnswBuildMemory.Parse(options.IndexBuildMemory);
        if (!string.IsNullOrWhiteSpace(options.Url))
        {
            var (connectionString, where) = ReadUrl(options.Url);
            return await ConnectAsync(connectionString, configuredMemory ?? HnswBuildMemory.ExternalDefault, null, where, cancellationToken);
        }

        var cluster = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = options.DataDirectory }, cancellationToken);
        try
        {
            return await ConnectAsync(cluster.ConnectionString, configuredMemory ?? HnswBuildMemory.ForLocalServer(), cluster,
                $"embedded PostgreSQL in {cluster.DataDirectory}", cancellationToken);
        }
        catch
        {
            await cluster.StopAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>A database at a connection string, migrated (tests and benchmarks: their own clusters).</summary>
    public static Task<PostgresDatabase> ConnectAsync(string connectionString, HnswBuildMemory? buildMemory = null, CancellationToken cancellationToken = default) =>
        ConnectAsync(connectionString, buildMemory ?? HnswBuildMemory.ExternalDefault, null, "PostgreSQL", cancellationToken);

    /// <summary>A pool that speaks pgvector's types, for callers that need plain connections (migrations, tests).</summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString) => PostgresConnections.CreateDataSource(connectionString);

    public async ValueTask DisposeAsync()
    {
        if (readConnections is not null)
        {
            await readConnections.DisposeAsync();
        }

        await connections.DisposeAsync();
        if (embedded is not null && !await OthersConnectedAsync(embedded))
        {
            await embedded.StopAsync(evenIfAdopted: true);
        }
    }

    private static async Task<PostgresDatabase> ConnectAsync(string connectionString, HnswBuildMemory buildMemory, EmbeddedPostgres? embedded, string description, CancellationToken cancellationToken)
    {
        var dataSource = PostgresConnections.CreateDataSource(connectionString);
        try
        {
            await new DatabaseMigrator(dataSource).MigrateAsync(cancellationToken);
            return new PostgresDatabase(new PostgresConnections(dataSource), embedded, description, buildMemory);
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            await dataSource.DisposeAsync();
            throw new StorageUnavailableException($"cannot reach the database ({description}): {OneLine(e.Message)}", e);
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    private static (string ConnectionString, string Where) ReadUrl(string url)
    {
        try
        {
            var normalized = PostgresConnectionString.Normalize(url);
            var builder = new NpgsqlConnectionStringBuilder(normalized);
            return (normalized, $"{builder.Host}:{builder.Port}/{builder.Database}");
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException or FormatException or KeyNotFoundException)
        {
            // The value itself is not repeated: it may hold a password.
            throw new DatabaseUrlException("the database address is neither a postgres://USER:PASSWORD@HOST:PORT/DATABASE URL nor a connection string such as Host=HOST;Database=NAME;Username=USER", e);
        }
    }

    /// <summary>Connection-level failures (network, unknown host, timeouts) and the server's refusals of who we are; not SQL errors.</summary>
    private static bool IsUnreachable(Exception e) => e switch
    {
        PostgresException p => p.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification
            or PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections,
        NpgsqlException or SocketException or TimeoutException => true,
        _ => false,
    };

    /// <summary>Another of our processes (a second worker, a running service) still uses the embedded cluster: leave it running.</summary>
    private static async Task<bool> OthersConnectedAsync(EmbeddedPostgres cluster)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { ApplicationName = ApplicationName, Pooling = false };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            return await connection.ExecuteScalarAsync<long>(StorageSql.OtherClients, new { ours = ApplicationName }) > 0;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
