using System.Collections.ObjectModel;

namespace MultiModalSearch.Core.Crawling;

/// <summary>
/// Walks archive roots and streams the image files to index: deterministic order (ordinal within each directory,
/// depth-first), each file once however many links or roots reach it, problems recorded instead of thrown.
/// </summary>
public sealed class FileCrawler
{
    private readonly CrawlOptions options;
    private readonly List<CrawlProblem> problems = [];

    public FileCrawler(CrawlOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Shard is { } shard && (shard.Count < 1 || shard.Index < 0 || shard.Index >= shard.Count))
        {
            throw new ArgumentException($"Shard {shard.Index}/{shard.Count} is not valid: need 0 <= index < count.", nameof(options));
        }

        this.options = options;
        Problems = new ReadOnlyCollection<CrawlProblem>(problems);
    }

    /// <summary>What the latest <see cref="Crawl"/> stepped over so far (it grows while the crawl is enumerated).</summary>
    public IReadOnlyList<CrawlProblem> Problems { get; }

    /// <summary>Lazily yields the files below <paramref name="roots"/> (directories or single files).</summary>
    /// <exception cref="DirectoryNotFoundException">A root does not exist; thrown by this call, before any crawling.</exception>
    /// <exception cref="OperationCanceledException">While enumerating, once <paramref name="cancellationToken"/> is cancelled.</exception>
    public IEnumerable<CrawledFile> Crawl(IReadOnlyList<string> roots, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roots);

        // Every root is checked now, so a mistyped one fails the job before anything is indexed rather than midway.
        var resolved = roots.Select(CrawlRoot.Resolve).ToList();
        problems.Clear();
        return new CrawlWalk(options, resolved, problems).Run(cancellationToken);
    }

    /// <summary>
    /// Whether the crawl would find anything at all: stops at the first file, so it is cheap unless there is nothing,
    /// which is when the caller wants to say so before doing any work.
    /// </summary>
    public bool FindsAny(IReadOnlyList<string> roots, CancellationToken cancellationToken = default) =>
        Crawl(roots, cancellationToken).Any();
}
