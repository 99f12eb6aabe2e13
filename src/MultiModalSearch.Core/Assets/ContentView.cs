using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Abstractions.Assets;
using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Core.Assets;

/// <summary>A content as a caller may see it: the collections holding it, every indexed path there, and their texts.</summary>
public sealed record ContentView(
    byte[] ContentHash,
    IReadOnlyList<(Collection Collection, CollectionVisibility Visibility)> Collections,
    IReadOnlyList<ContentLocation> Locations,
    IReadOnlyList<ContentText> Texts)
{
    /// <summary>True when a public collection holds it (so its thumbnail may be cached by shared caches).</summary>
    public bool IsPublic => Collections.Any(c => c.Visibility == CollectionVisibility.Public);
}
