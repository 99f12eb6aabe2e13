using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Abstractions.DocumentStorage;
using MultiModalSearch.Core.Indexing;
using MultiModalSearch.Models.Inference;

namespace MultiModalSearch.Core.Ingestion;

/// <summary>
/// Ingests documents into a collection: the photo indexer's run (<see cref="IndexingJob"/>: crawl, claims, content-hash
/// dedup, incremental runs, prune, SIGKILL safety, progress and summary) with documents in place of images
/// (<see cref="DocumentContentProcessor"/>). The collection's model is the CLIP model that embeds the figure crops.
/// </summary>
public sealed class DocumentIngestionJob(IndexingStores stores, IDocumentStore documents, ClipSession clip, DocumentTextModel? textModel, IPageRenderer renderer, DocumentIngestionOptions options)
{
    /// <inheritdoc cref="IndexingJob.RunAsync"/>
    public Task<IndexingSummary> RunAsync(IProgress<IndexingProgress>? progress = null, CancellationToken stop = default, CancellationToken abort = default)
    {
        var indexing = options.Indexing with
        {
            Crawl = options.Indexing.Crawl with { IsSupportedName = SupportedDocuments.IsSupported },
            Thumbnails = false,
        };
        var processor = new DocumentContentProcessor(clip, textModel, renderer, documents, options with { Indexing = indexing });
        return new IndexingJob(stores, processor, indexing).RunAsync(progress, stop, abort);
    }
}
