using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Core.DocumentRetrieval;

/// <summary>Embeds a question with the CLIP model of a collection's figures, or says it cannot (null: that model is not at hand).</summary>
public interface IFigureQueryEncoder
{
    Task<float[]?> EmbedAsync(Collection collection, string question, CancellationToken cancellationToken = default);
}
