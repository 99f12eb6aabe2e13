namespace MultiModalSearch.Abstractions.Storage;

/// <summary>
/// A collection was opened with a model, dimension or vector type other than the one it was created with.
/// Mixing embeddings of two models in one index gives meaningless distances, so this is never silently allowed.
/// </summary>
public sealed class CollectionMismatchException : Exception
{
    public CollectionMismatchException(string message) : base(message) { }
}
