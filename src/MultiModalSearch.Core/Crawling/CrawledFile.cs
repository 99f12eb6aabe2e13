namespace MultiModalSearch.Core.Crawling;

/// <summary>One file found by <see cref="FileCrawler"/>.</summary>
/// <param name="Path">Absolute path as reached (through links, not resolved); equals <paramref name="Root"/> + '/' + <paramref name="RelativePath"/>.</param>
/// <param name="Root">The absolute root it was reached from (for a single-file root: that file's directory).</param>
/// <param name="RelativePath">'/'-separated path below <paramref name="Root"/>; what shards and globs are computed on.</param>
/// <param name="Bytes">Length of the file (of the link's target for a link).</param>
/// <param name="Modified">Last write time, UTC.</param>
public sealed record CrawledFile(string Path, string Root, string RelativePath, long Bytes, DateTimeOffset Modified);
