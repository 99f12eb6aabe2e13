namespace MultiModalSearch.Core.Retrieval;

/// <summary>No content with this id is indexed where the caller may see it.</summary>
public sealed class ContentNotFoundException(string id) : Exception($"no content '{id}'")
{
    public string Id { get; } = id;
}
