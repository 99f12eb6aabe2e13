namespace MultiModalSearch.Core.Retrieval;

/// <summary>The bounds every search request is held to, whoever sends it.</summary>
public static class SearchLimits
{
    public const int MaxK = 1000;
    public const int MaxOffset = 10_000;
    public const int MaxTextLength = 2000;
}
