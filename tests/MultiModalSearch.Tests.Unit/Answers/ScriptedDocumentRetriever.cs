using MultiModalSearch.Abstractions.DocumentRetrieval;

namespace MultiModalSearch.Tests.Answers;

/// <summary>A retriever that returns given hits (or a result below the floor) and serves given figure crops; counts its calls.</summary>
internal sealed class ScriptedDocumentRetriever(DocumentRetrievalResult result, IReadOnlyDictionary<long, byte[]>? crops = null) : IDocumentRetriever
{
    public List<DocumentQuestion> Questions { get; } = [];

    public Task<DocumentRetrievalResult> RetrieveAsync(DocumentQuestion question, CancellationToken cancellationToken = default)
    {
        Questions.Add(question);
        return Task.FromResult(result);
    }

    public Task<byte[]?> FigureCropAsync(string collection, long figureId, CancellationToken cancellationToken = default) =>
        Task.FromResult(crops is not null && crops.TryGetValue(figureId, out var crop) ? crop : null);
}
