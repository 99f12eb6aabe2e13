using MultiModalSearch.Abstractions.DocumentRetrieval;

namespace MultiModalSearch.Testing.Answers;

/// <summary>
/// A retriever that returns scripted hits (or a result below the floor) for each question and serves given figure
/// crops; it records the questions. Stands in for document retrieval until the real one is registered.
/// </summary>
public sealed class ScriptedDocumentRetriever(Func<DocumentQuestion, DocumentRetrievalResult> answer, IReadOnlyDictionary<long, byte[]>? crops = null) : IDocumentRetriever
{
    public ScriptedDocumentRetriever(DocumentRetrievalResult result, IReadOnlyDictionary<long, byte[]>? crops = null)
        : this(_ => result, crops)
    {
    }

    public List<DocumentQuestion> Questions { get; } = [];

    public Task<DocumentRetrievalResult> RetrieveAsync(DocumentQuestion question, CancellationToken cancellationToken = default)
    {
        lock (Questions)
        {
            Questions.Add(question);
        }

        return Task.FromResult(answer(question));
    }

    public Task<byte[]?> FigureCropAsync(string collection, long figureId, CancellationToken cancellationToken = default) =>
        Task.FromResult(crops is not null && crops.TryGetValue(figureId, out var crop) ? crop : null);
}
