using MultiModalSearch.Abstractions.Assets;

namespace MultiModalSearch.Abstractions.Storage;

/// <summary>The texts of assets (captions, descriptions, file names), searchable by keyword.</summary>
public interface ITextStore
{
    /// <summary>Upserts texts, one per (asset, kind); the last one given for a pair wins.</summary>
    Task SetTextsAsync(IReadOnlyList<(long AssetId, TextItemKind Kind, string Text)> texts, CancellationToken cancellationToken = default);

    /// <summary>Keyword search (web-search syntax) over the collection's indexed texts, best first.</summary>
    Task<IReadOnlyList<TextHit>> SearchTextAsync(Collection collection, string query, int limit = 20, CancellationToken cancellationToken = default);
}
