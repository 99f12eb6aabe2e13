namespace MultiModalSearch.Abstractions.Storage;

/// <summary>An asset that needs (re)indexing; when returned by a claim it is leased to the claiming worker.</summary>
public sealed record WorkItem(long AssetId, string Path, long Bytes);
