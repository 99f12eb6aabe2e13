namespace MultiModalSearch.Abstractions.Assets;

/// <summary>One searchable text found for an asset (embedded metadata, a sidecar, or the file name).</summary>
public sealed record AssetText(TextItemKind Kind, string Text);
