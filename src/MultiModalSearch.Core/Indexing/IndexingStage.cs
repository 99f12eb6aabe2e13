namespace MultiModalSearch.Core.Indexing;

/// <summary>What a run is busy with.</summary>
public enum IndexingStage
{
    /// <summary>The crawl is still finding files while workers already index what it found.</summary>
    CrawlingAndIndexing,

    /// <summary>The crawl is complete; the queue is being worked off.</summary>
    Indexing,

    /// <summary>All files are done; the collection's search index is being built.</summary>
    BuildingSearchIndex,
}
