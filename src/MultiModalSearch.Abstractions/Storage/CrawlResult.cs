namespace MultiModalSearch.Abstractions.Storage;

/// <summary>What an upsert of crawled files changed, and every file of the batch that still needs work.</summary>
public sealed record CrawlResult(int Added, int Changed, int Unchanged, IReadOnlyList<WorkItem> NeedsWork);
