namespace MultiModalSearch.Abstractions.Storage;

/// <summary>A keyword-search match: the asset's path, which text matched and its full-text rank.</summary>
public sealed record TextHit(string Path, string Kind, string Text, float Rank);
