using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Storage.Postgres.Embedded;
using MultiModalSearch.Testing;
using Npgsql;

namespace MultiModalSearch.Tests.Storage;

[Collection(PostgresCollection.Name)]
public sealed class EmbeddedPostgresTests(PostgresFixture fixture)
{
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task ServesPgvectorOverAPrivateSocketOnly()
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.Server.ConnectionString);
        await using var command = dataSource.CreateCommand(
            "SELECT (SELECT extversion FROM pg_extension WHERE extname = 'vector'), current_setting('listen_addresses')");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.False(reader.IsDBNull(0));
        Assert.Equal("", reader.GetString(1));
        var mode = File.GetUnixFileMode(fixture.Server.SocketDirectory);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, mode);
    }

    [Fact]
    public async Task ASecondInstanceReusesTheRunningServerAndDoesNotStopIt()
    {
        var second = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = fixture.Server.DataDirectory });
        Assert.False(second.StartedByThisInstance);
        Assert.Equal(fixture.Server.SocketDirectory, second.SocketDirectory);
        Assert.False(await second.StopAsync());
        await using var dataSource = NpgsqlDataSource.Create(second.ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT 1");
        Assert.Equal(1, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task ConcurrentStartsOnAFreshDirectoryStartOneServerThatRestartsAfterStop()
    {
        var options = new EmbeddedPostgresOptions { DataDirectory = Path.Combine(fixture.Root, "lifecycle"), Port = 5433 };
        var both = await Task.WhenAll(EmbeddedPostgres.StartAsync(options), EmbeddedPostgres.StartAsync(options));
        Assert.Single(both, s => s.StartedByThisInstance);
        var starter = both.Single(s => s.StartedByThisInstance);
        Assert.True(await starter.StopAsync());

        await using var restarted = await EmbeddedPostgres.StartAsync(options);
        Assert.True(restarted.StartedByThisInstance);
        await using var dataSource = NpgsqlDataSource.Create(restarted.ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT current_database()");
        Assert.Equal("mms", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task MissingBinariesSayHowToInstallThem()
    {
        var error = await Assert.ThrowsAsync<StorageSetupException>(() => EmbeddedPostgres.StartAsync(
            new EmbeddedPostgresOptions { DataDirectory = Path.Combine(fixture.Root, "nobin"), BinDirectory = "/nonexistent/bin" }));
        Assert.Contains("scripts/setup.sh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UrlConnectionStringsAreConverted()
    {
        var converted = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Normalize("postgres://mms:s%40cret@db:5432/mms?sslmode=disable"));
        Assert.Equal("db", converted.Host);
        Assert.Equal(5432, converted.Port);
        Assert.Equal("mms", converted.Username);
        Assert.Equal("s@cret", converted.Password);
        Assert.Equal("mms", converted.Database);
        Assert.Equal(SslMode.Disable, converted.SslMode);
        Assert.Equal("Host=x;Database=y", PostgresConnectionString.Normalize("Host=x;Database=y"));
    }
}
