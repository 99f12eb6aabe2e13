namespace MultiModalSearch.Core.Indexing;

/// <summary>The collection's approximate search index when a run ends.</summary>
public enum SearchIndexState
{
    /// <summary>It existed and was kept up to date row by row.</summary>
    Ready,

    /// <summary>This run built it (after a bulk load, or because it was missing).</summary>
    Built,

    /// <summary>Absent because the run was interrupted; the next complete run builds it. Searches scan exactly meanwhile.</summary>
    AbsentInterrupted,

    /// <summary>Absent because other workers are still indexing; the last one builds it.</summary>
    AbsentOtherWorkersRunning,
}
