using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Core.Collections;

/// <summary>A collection's counts, its latest failures and whether its approximate search index is built.</summary>
public sealed record CollectionReport(Collection Collection, CollectionStatus Status, IReadOnlyList<AssetFailure> RecentFailures, bool SearchIndexReady);
