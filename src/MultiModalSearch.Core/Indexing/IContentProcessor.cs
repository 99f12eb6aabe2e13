using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;

namespace MultiModalSearch.Core.Indexing;

/// <summary>
/// What a run does with the files it claims: images go through CLIP's image pipeline (<see cref="ImageContentProcessor"/>),
/// documents through extraction, passages and figure crops (Ingestion). The crawl, claims, content-hash dedup, flushes,
/// prune and crash safety around it are the same <see cref="IndexingJob"/> for both.
/// </summary>
internal interface IContentProcessor
{
    /// <summary>Length of the one embedding each content gets in the collection's index.</summary>
    int Dimension { get; }

    /// <summary>Where the model runs (it decides the default batch size and worker count).</summary>
    ComputeOptions Compute { get; }

    /// <summary>
    /// Reads, hashes and inspects a claimed file (in parallel, before the model); sets <see cref="IndexItem.Hash"/> or
    /// throws what a bad file makes a reader throw.
    /// </summary>
    void Prepare(IndexItem item);

    /// <summary>Runs the model over the items that need it; each comes out with its embedding or its error, in any order.</summary>
    IAsyncEnumerable<IndexItem> ProcessAsync(IAsyncEnumerable<IndexItem> items, PipelineOptions pipeline, CancellationToken cancellationToken);

    /// <summary>
    /// Stores what the items of a flush produced besides their embedding, before the flush's transaction: a run killed in
    /// between leaves the files pending, and the next run writes the same rows again.
    /// </summary>
    Task WriteAsync(Collection collection, IReadOnlyList<IndexItem> embedded, CancellationToken cancellationToken);
}
