using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Core.Collections;

/// <summary>
/// A collection the tool made for itself (the demo's) and can rebuild at will: when its model's files have changed it
/// is deleted, where a user's collection would be refused instead.
/// </summary>
public static class DisposableCollection
{
    /// <summary>Deletes <paramref name="name"/> when it was indexed with a model other than <paramref name="fingerprint"/>; true if it did.</summary>
    public static async Task<bool> DeleteIfModelChangedAsync(ICollectionStore collections, string name, string fingerprint, CancellationToken cancellationToken = default)
    {
        var existing = await collections.FindAsync(name, cancellationToken);
        if (existing?.ModelFingerprint is null || existing.ModelFingerprint == fingerprint)
        {
            return false;
        }

        return await collections.DeleteAsync(name, cancellationToken);
    }
}
