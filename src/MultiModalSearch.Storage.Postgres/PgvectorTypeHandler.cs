using System.Data;
using Dapper;
using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Storage.Postgres;

/// <summary>
/// Lets Dapper pass pgvector values as parameters. Dapper refuses unknown types; Npgsql itself knows them once
/// the data source was built with UseVector(), so the handler only hands the value through.
/// </summary>
internal sealed class PgvectorTypeHandler<T> : SqlMapper.TypeHandler<T>
    where T : class
{
    private static int s_registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0) SqlMapper.AddTypeHandler(new PgvectorTypeHandler<T>());
    }

    public override void SetValue(IDbDataParameter parameter, T? value) => parameter.Value = (object?)value ?? DBNull.Value;

    public override T? Parse(object value) => value as T;
}
