namespace MultiModalSearch.Tests.Api;

/// <summary>The API test classes share one database and one running service.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
