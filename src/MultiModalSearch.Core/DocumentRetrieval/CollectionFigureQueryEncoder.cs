using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Core.Retrieval;

namespace MultiModalSearch.Core.DocumentRetrieval;

/// <summary>The query service's encoders, one per collection model, shared with photo search.</summary>
public sealed class CollectionFigureQueryEncoder(CollectionEncoders encoders) : IFigureQueryEncoder
{
    public async Task<float[]?> EmbedAsync(Collection collection, string question, CancellationToken cancellationToken = default) =>
        await (await encoders.ForAsync(collection, cancellationToken)).EmbedTextAsync(question, cancellationToken);
}
