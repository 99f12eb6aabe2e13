using System.Data;
using System.Text;
using Dapper;
using Npgsql;
using Pgvector;

namespace MultiModalSearch.Storage.Postgres;

/// <summary>
/// The one owner of the connection pool that every store uses, with the few helpers they share. Thread-safe: every
/// call takes its own pooled connection. Statements live in <see cref="StorageSql"/>.
/// </summary>
internal sealed class PostgresConnections : IAsyncDisposable
{
    static PostgresConnections()
    {
        PgvectorTypeHandler<Vector>.Register();
        PgvectorTypeHandler<HalfVector>.Register();
    }

    public PostgresConnections(NpgsqlDataSource dataSource) => DataSource = dataSource;

    public NpgsqlDataSource DataSource { get; }

    /// <summary>A pool for <paramref name="connectionString"/> (keyword form or postgres:// URL) that speaks pgvector's types.</summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(PostgresConnectionString.Normalize(connectionString));
        builder.ConnectionStringBuilder.ApplicationName ??= PostgresDatabase.ApplicationName;
        builder.UseVector();
        return builder.Build();
    }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => DataSource.OpenConnectionAsync(cancellationToken);

    public async Task<int> ExecuteAsync(string sql, object? args, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(Command(sql, args, null, cancellationToken));
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? args, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await connection.QueryAsync<T>(Command(sql, args, null, cancellationToken))).ToList();
    }

    public static CommandDefinition Command(string sql, object? args, IDbTransaction? transaction, CancellationToken cancellationToken, int? timeoutSeconds = null) =>
        new(sql, args, transaction, timeoutSeconds, cancellationToken: cancellationToken);

    /// <summary>
    /// PostgreSQL text holds neither NUL nor a lone UTF-16 surrogate, and text that came out of files (error messages,
    /// captions) can carry both: bytes a hostile file put into a decoder's message, a cut in the middle of a pair.
    /// Either would fail the whole flush, so every such text is made storable here, at the boundary.
    /// </summary>
    public static string StorableText(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') && !text.Contains('\0', StringComparison.Ordinal))
        {
            return text;
        }

        // The UTF-8 round trip turns unpaired surrogates into U+FFFD and keeps valid pairs.
        return Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)).Replace('\0', '\uFFFD');
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
