using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Models.Resolution;

namespace MultiModalSearch.Core.Retrieval;

/// <summary>
/// The model a collection was indexed with is no longer what its id or path holds (its files were replaced): queries it
/// embedded would be compared with another model's embeddings, so the search is refused.
/// </summary>
public sealed class ModelChangedException(Collection collection, ResolvedModel found) : Exception(
    $"collection '{collection.Name}' was indexed with model '{collection.ModelId}' (fingerprint {ModelFingerprint.Abbreviate(collection.ModelFingerprint ?? "")}), " +
    $"but {found.Directory} now holds another model (fingerprint {ModelFingerprint.Abbreviate(found.Fingerprint)}): put the original files back, " +
    "or index the photos again into a new collection (or delete this one first)")
{
    public Collection Collection { get; } = collection;
}
