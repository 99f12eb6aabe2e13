namespace MultiModalSearch.Core.Retrieval;

/// <summary>No collection has this name (in this database).</summary>
public sealed class CollectionNotFoundException(string collection) : Exception($"no collection '{collection}'")
{
    public string Collection { get; } = collection;
}
