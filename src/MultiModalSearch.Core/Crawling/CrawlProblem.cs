namespace MultiModalSearch.Core.Crawling;

/// <summary>Something the crawl stepped over (unreadable directory, broken link, symlink loop) instead of failing.</summary>
public sealed record CrawlProblem(string Path, string Message);
