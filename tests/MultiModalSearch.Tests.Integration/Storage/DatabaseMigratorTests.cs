using Dapper;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Storage;

[Collection(PostgresCollection.Name)]
public sealed class DatabaseMigratorTests(PostgresFixture fixture)
{
    [Fact]
    public async Task MigratingTwiceAppliesEverythingOnce()
    {
        await using var dataSource = PostgresDatabase.CreateDataSource(await fixture.CreateDatabaseAsync());
        var migrator = new DatabaseMigrator(dataSource);
        var first = await migrator.MigrateAsync();
        var second = await migrator.MigrateAsync();
        Assert.Equal(Enumerable.Range(1, migrator.LatestVersion), first);
        Assert.Empty(second);
    }

    [Fact]
    public async Task TwoMigratorsStartingTogetherOnAFreshDatabaseBothSucceed()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        await using var a = PostgresDatabase.CreateDataSource(connectionString);
        await using var b = PostgresDatabase.CreateDataSource(connectionString);
        var results = await Task.WhenAll(
            Task.Run(() => new DatabaseMigrator(a).MigrateAsync()),
            Task.Run(() => new DatabaseMigrator(b).MigrateAsync()));

        var all = results.SelectMany(r => r).Order().ToList();
        Assert.Equal(Enumerable.Range(1, new DatabaseMigrator(a).LatestVersion), all);
        await using var connection = await a.OpenConnectionAsync();
        Assert.Equal(all.Count, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task AFailingMigrationLeavesNothingBehind()
    {
        await using var dataSource = PostgresDatabase.CreateDataSource(await fixture.CreateDatabaseAsync());
        var broken = new DatabaseMigrator(dataSource, [new Migration(1, "ok", "CREATE TABLE t1 (x int)"), new Migration(2, "broken", "CREATE TABLE t2 (")]);
        await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => broken.MigrateAsync());
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Null(await connection.ExecuteScalarAsync<string?>("SELECT to_regclass('t1')::text"));
    }
}
