namespace MultiModalSearch.Abstractions.Storage;

/// <summary>One file seen by a crawl: enough to tell whether it changed since the last crawl without reading it.</summary>
public sealed record CrawlEntry(string Path, long Bytes, DateTimeOffset Modified);
