using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Core.Indexing;

/// <summary>The stores an indexing run reads and writes.</summary>
public sealed record IndexingStores(ICollectionStore Collections, IWorkQueue Queue, IVectorStore Vectors, ITextStore Texts, IThumbnailStore Thumbnails);
