using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Models.Inference;

namespace MultiModalSearch.Core.DocumentRetrieval;

/// <summary>One open CLIP session (a command-line run): it serves the collections ingested with <paramref name="modelId"/> only.</summary>
public sealed class SessionFigureQueryEncoder(ClipSession session, string modelId) : IFigureQueryEncoder
{
    public Task<float[]?> EmbedAsync(Collection collection, string question, CancellationToken cancellationToken = default) =>
        Task.FromResult(string.Equals(collection.ModelId, modelId, StringComparison.Ordinal) ? session.EmbedText(question) : null);
}
