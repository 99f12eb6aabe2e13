namespace MultiModalSearch.Core.Assets;

/// <summary>A file that still holds a content at an indexed path, ready to be sent.</summary>
public sealed record OriginalFile(string Path, long Length, string MediaType, DateTimeOffset Modified);
