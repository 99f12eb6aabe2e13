using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Indexing;

/// <summary>One row of the assets table as the indexing tests inspect it.</summary>
internal sealed class AssetRow
{
    public string Path { get; set; } = "";

    public byte[]? ContentHash { get; set; }

    public string Status { get; set; } = "";

    public string? Error { get; set; }

    public string? ClaimedBy { get; set; }
}
