namespace MultiModalSearch.Abstractions.Access;

/// <summary>Who may read a collection: anyone (public, the default), or only holders of one of its API keys.</summary>
public enum CollectionVisibility
{
    Public,
    Private,
}
