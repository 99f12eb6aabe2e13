using Microsoft.Extensions.DependencyInjection;
using MultiModalSearch.Hosting;
using MultiModalSearch.Storage.Postgres;

namespace MultiModalSearch.Cli;

/// <summary>
/// One command's services: configuration (environment, then this command's flags), the shared registration, and the
/// database when the command needs one. Disposing it closes the database (stopping an embedded cluster nobody else uses).
/// </summary>
internal sealed class CliHost : IAsyncDisposable
{
    private readonly ServiceProvider services;

    private CliHost(ServiceProvider services, PostgresDatabase? database)
    {
        this.services = services;
        Database = database;
    }

    /// <summary>The open database, when the command asked for one.</summary>
    public PostgresDatabase? Database { get; }

    /// <summary>The open database; for commands that asked for one.</summary>
    public PostgresDatabase Db => Database ?? throw new InvalidOperationException("this command did not open the database");

    /// <param name="flags">Configuration keys set by the command's flags (null values are ignored).</param>
    /// <param name="openDatabase">Start or connect to the database now (commands that read or write collections).</param>
    public static async Task<CliHost> StartAsync(IReadOnlyDictionary<string, string?> flags, bool openDatabase, CancellationToken cancellationToken)
    {
        var configuration = HostConfiguration.Build(flags);
        var provider = new ServiceCollection().AddMultiModalSearch(configuration).BuildServiceProvider();
        try
        {
            var database = openDatabase ? await provider.GetRequiredService<DatabaseLifetime>().OpenAsync(cancellationToken) : null;
            return new CliHost(provider, database);
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

    public T Get<T>()
        where T : notnull => services.GetRequiredService<T>();

    public ValueTask DisposeAsync() => services.DisposeAsync();
}
