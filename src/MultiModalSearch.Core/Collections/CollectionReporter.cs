using MultiModalSearch.Abstractions.Errors;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Core.Retrieval;

namespace MultiModalSearch.Core.Collections;

/// <summary>What a collection holds and how its indexing went, for `status` and the service's collection listing.</summary>
public sealed class CollectionReporter(ICollectionStore collections, IVectorStore vectors)
{
    /// <exception cref="CollectionNotFoundException">No such collection.</exception>
    /// <exception cref="InvalidSettingException"><paramref name="failures"/> is negative.</exception>
    public async Task<CollectionReport> ReportAsync(string name, int failures = 10, CancellationToken cancellationToken = default)
    {
        if (failures < 0)
        {
            throw new InvalidSettingException("failures", $"must be zero or more (got {failures})");
        }

        var collection = await collections.FindAsync(name, cancellationToken) ?? throw new CollectionNotFoundException(name);
        var status = await collections.GetStatusAsync(collection, cancellationToken: cancellationToken);
        var recent = failures == 0 ? [] : await collections.GetRecentFailuresAsync(collection, failures, cancellationToken);
        var ready = await vectors.HasSearchIndexAsync(collection, cancellationToken);
        return new CollectionReport(collection, status, recent, ready);
    }
}
