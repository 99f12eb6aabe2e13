namespace MultiModalSearch.Core.Indexing;

/// <summary>The search index's state at the end of a run, and how long building it took when this run built it.</summary>
public sealed record SearchIndexOutcome(SearchIndexState State, double? BuildSeconds = null)
{
    public bool Available => State is SearchIndexState.Ready or SearchIndexState.Built;
}
