using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Tests.Storage;

namespace MultiModalSearch.Tests.Replication;

/// <summary>A read replica that cannot be reached is said at start, naming it, not at the first search.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReadReplicaConfigurationTests(PostgresFixture fixture)
{
    [Fact]
    public async Task AnUnreachableReplicaIsAClearErrorAtStart()
    {
        var options = new PostgresOptions { Url = await fixture.CreateDatabaseAsync(), ReadUrl = "Host=127.0.0.1;Port=9;Username=mms;Database=mms;Timeout=3" };

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => PostgresDatabase.OpenAsync(options));

        Assert.Contains("read replica", error.Message, StringComparison.Ordinal);
    }
}
