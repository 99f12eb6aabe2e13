using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Storage;

/// <summary>Storage test classes share one cluster and therefore run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
