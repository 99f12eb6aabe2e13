namespace MultiModalSearch.Abstractions.Storage;

/// <summary>
/// The indexing work queue of a collection: what a crawl saw, which assets still need work, leases that keep two
/// workers off the same asset, and the recording of results. Content that no live path refers to any more loses its
/// embedding in the same transaction that stopped the reference.
/// </summary>
public interface IWorkQueue
{
    /// <summary>
    /// Records the files a crawl saw: new, changed and returning files become pending; unchanged ones are not touched.
    /// Returns the batch's pending files, including ones left pending by an earlier run.
    /// </summary>
    Task<CrawlResult> UpsertCrawlAsync(Collection collection, IEnumerable<CrawlEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Leases up to <paramref name="limit"/> pending assets to <paramref name="workerId"/>; a claim older than <paramref name="lease"/> is taken over.</summary>
    Task<IReadOnlyList<WorkItem>> ClaimAsync(Collection collection, string workerId, int limit, TimeSpan? lease = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// In one transaction: stores new embeddings (contents embedded before are skipped) and marks the assets indexed with
    /// their metadata. A result whose content has no embedding afterwards is not marked: it goes back to the queue.
    /// </summary>
    /// <returns>The assets put back in the queue because their content lost its embedding meanwhile (a concurrent prune).</returns>
    Task<IReadOnlyList<long>> RecordResultsAsync(Collection collection, IReadOnlyList<AssetResult> results, IReadOnlyList<EmbeddingRow> embeddings, CancellationToken cancellationToken = default);

    /// <summary>Marks assets failed, each with its own error; they are not retried until the file changes.</summary>
    Task MarkFailedAsync(Collection collection, IReadOnlyList<(long AssetId, string Error)> failures, CancellationToken cancellationToken = default);

    /// <summary>Marks these paths removed (deleted files). Returns how many were not removed already.</summary>
    Task<int> MarkRemovedAsync(Collection collection, IEnumerable<string> paths, CancellationToken cancellationToken = default);

    /// <summary>
    /// After a complete crawl: marks every path the crawl did not see as removed, restricted to paths that start with one
    /// of <paramref name="prefixes"/> (null: the whole collection). Returns how many paths were removed.
    /// </summary>
    Task<int> PruneAsync(Collection collection, IReadOnlyList<string>? prefixes, IEnumerable<string> seenPaths, CancellationToken cancellationToken = default);

    /// <summary>The workers holding claims on pending assets (to find those that died holding them).</summary>
    Task<IReadOnlyList<string>> GetClaimHoldersAsync(Collection collection, CancellationToken cancellationToken = default);

    /// <summary>Returns the pending assets claimed by <paramref name="workers"/> to the queue at once, without waiting for their lease.</summary>
    Task<int> ReleaseClaimsAsync(Collection collection, IReadOnlyList<string> workers, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="ReleaseClaimsAsync"/>, for clean-up after a failure: false instead of an exception when the store
    /// cannot be reached (the claims then expire with their lease).
    /// </summary>
    Task<bool> TryReleaseClaimsAsync(Collection collection, IReadOnlyList<string> workers);
}
