namespace MultiModalSearch.Core.Assets;

/// <summary>A file that still holds a content at an indexed path, opened for reading and seeking (ranges); the receiver disposes it.</summary>
public sealed record OriginalFile(Stream Content, long Length, string MediaType, DateTimeOffset Modified);
