using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Core.Crawling;
using MultiModalSearch.FileSystem;

namespace MultiModalSearch.Core.Indexing;

/// <summary>
/// The crawl half of a run: records what exists in chunks (so workers start on the first chunk while the crawl goes on)
/// and, with pruning on, marks what no longer exists under the roots as removed once the crawl is complete.
/// </summary>
internal sealed class CrawlRecorder(IWorkQueue queue, Collection collection, IndexingOptions options, IndexingCounters counters)
{
    private const int ChunkSize = 1000;

    public FileCrawler Crawler { get; } = new(options.Crawl);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var seen = options.Prune ? new List<string>() : null;
        var chunk = new List<CrawlEntry>(ChunkSize);
        foreach (var file in Crawler.Crawl(options.Roots, cancellationToken))
        {
            chunk.Add(new CrawlEntry(file.Path, file.Bytes, file.Modified));
            seen?.Add(file.Path);
            if (chunk.Count == ChunkSize)
            {
                await UpsertAsync(chunk, cancellationToken);
            }
        }

        await UpsertAsync(chunk, cancellationToken);
        if (seen is not null)
        {
            var prefixes = options.Roots.Select(RootPrefix).ToList();
            counters.Removed = await queue.PruneAsync(collection, prefixes, seen, cancellationToken);
        }
    }

    private async Task UpsertAsync(List<CrawlEntry> chunk, CancellationToken cancellationToken)
    {
        if (chunk.Count == 0)
        {
            return;
        }

        var result = await queue.UpsertCrawlAsync(collection, chunk, cancellationToken);
        Interlocked.Add(ref counters.Crawled, chunk.Count);
        Interlocked.Add(ref counters.Added, result.Added);
        Interlocked.Add(ref counters.Changed, result.Changed);
        Interlocked.Add(ref counters.Unchanged, result.Unchanged);
        chunk.Clear();
    }

    /// <summary>A directory root covers what is below it; a file root only itself.</summary>
    private static string RootPrefix(string root)
    {
        var full = Path.GetFullPath(root);
        return UnixFiles.Status(full).IsDirectory ? Path.TrimEndingDirectorySeparator(full) + Path.DirectorySeparatorChar : full;
    }
}
