using MultiModalSearch.Abstractions.DocumentRetrieval;

namespace MultiModalSearch.Core.DocumentRetrieval;

/// <summary>Runs a question set through a retriever and scores it at page level (<see cref="RetrievalScores"/>).</summary>
public static class RetrievalEvaluation
{
    public const int Depth = 10;

    public static async Task<RetrievalScores> EvaluateAsync(IDocumentRetriever retriever, string collection, IReadOnlyList<EvaluationQuestion> questions, CancellationToken cancellationToken = default)
    {
        var ranks = new List<int?>();
        var refusedAnswerable = 0;
        var refusedUnanswerable = 0;
        var stages = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var question in questions)
        {
            var result = await retriever.RetrieveAsync(new DocumentQuestion(collection, question.Question, Depth), cancellationToken);
            stages.UnionWith(result.StagesRun);
            if (!question.Answerable)
            {
                refusedUnanswerable += result.BelowFloor ? 1 : 0;
                continue;
            }

            refusedAnswerable += result.BelowFloor ? 1 : 0;
            ranks.Add(FirstRelevantRank(result.Hits, question));
        }

        var answerable = ranks.Count;
        var unanswerable = questions.Count - answerable;
        return new RetrievalScores(
            answerable, unanswerable,
            Share(ranks.Count(r => r <= 1), answerable), Share(ranks.Count(r => r <= 5), answerable), Share(ranks.Count(r => r <= 10), answerable),
            answerable == 0 ? 0 : Math.Round(ranks.Sum(r => r is { } rank ? 1.0 / rank : 0) / answerable, 4),
            Share(refusedUnanswerable, unanswerable), Share(refusedAnswerable, answerable), [.. stages]);
    }

    /// <summary>1-based rank of the first hit on one of the question's pages of its document (matched by file name), or null.</summary>
    public static int? FirstRelevantRank(IReadOnlyList<DocumentHit> hits, EvaluationQuestion question)
    {
        for (var i = 0; i < hits.Count; i++)
        {
            var hit = hits[i];
            if (string.Equals(Path.GetFileName(hit.DocumentPath), question.Document, StringComparison.Ordinal) && question.Pages.Contains(hit.Page))
            {
                return i + 1;
            }
        }

        return null;
    }

    private static double Share(int count, int of) => of == 0 ? 0 : Math.Round((double)count / of, 4);
}
