using Dapper;
using MultiModalSearch.Abstractions.Storage;
using Npgsql;

namespace MultiModalSearch.Storage.Postgres;

/// <summary>
/// Applies <see cref="SchemaMigrations"/> that a database lacks. Everything happens in one transaction that first
/// takes a transaction-level advisory lock, so processes starting together queue up: the first one migrates,
/// the others then find nothing left to do. A failing migration leaves the database as it was.
/// </summary>
public sealed class DatabaseMigrator
{
    // Arbitrary but fixed: every MultiModalSearch process must use the same key ("mms_migr" in ASCII).
    private const long AdvisoryLockKey = 0x6D6D735F6D696772;

    private readonly NpgsqlDataSource dataSource;
    private readonly List<Migration> migrations;

    public DatabaseMigrator(NpgsqlDataSource dataSource)
        : this(dataSource, SchemaMigrations.All) { }

    internal DatabaseMigrator(NpgsqlDataSource dataSource, IReadOnlyList<Migration> migrations)
    {
        this.dataSource = dataSource;
        this.migrations = migrations.OrderBy(m => m.Version).ToList();
    }

    /// <summary>The newest schema version this build knows.</summary>
    public int LatestVersion => migrations.Count == 0 ? 0 : migrations[^1].Version;

    /// <summary>Brings the schema up to date; returns the versions applied by this call (empty when it was current).</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, transaction, "SELECT pg_advisory_xact_lock(@key)", new { key = AdvisoryLockKey }, cancellationToken);
        await Execute(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, null, cancellationToken);
        var applied = (await connection.QueryAsync<int>(new CommandDefinition(
            "SELECT version FROM schema_migrations", transaction: transaction, cancellationToken: cancellationToken))).ToHashSet();
        var newlyApplied = new List<int>();
        foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)))
        {
            await Execute(connection, transaction, migration.Sql, null, cancellationToken);
            await Execute(connection, transaction, "INSERT INTO schema_migrations (version, name) VALUES (@Version, @Name)",
                new { migration.Version, migration.Name }, cancellationToken);
            newlyApplied.Add(migration.Version);
        }
        await transaction.CommitAsync(cancellationToken);
        // New types (vector, halfvec) created by a migration must be known to connections opened later.
        if (newlyApplied.Count > 0) await dataSource.ReloadTypesAsync(cancellationToken);
        return newlyApplied;
    }

    private static Task<int> Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, object? args, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(sql, args, transaction, cancellationToken: cancellationToken));
}
