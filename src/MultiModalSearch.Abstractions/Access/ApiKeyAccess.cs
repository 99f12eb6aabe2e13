namespace MultiModalSearch.Abstractions.Access;

/// <summary>What an API key allows on its collection. Write includes read.</summary>
public enum ApiKeyAccess
{
    Read,
    Write,
}
