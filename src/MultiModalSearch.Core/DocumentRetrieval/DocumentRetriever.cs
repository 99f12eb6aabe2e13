using MultiModalSearch.Abstractions.DocumentRetrieval;
using MultiModalSearch.Abstractions.DocumentStorage;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Core.Retrieval;

namespace MultiModalSearch.Core.DocumentRetrieval;

/// <summary>
/// Finds the passages and figures of a document collection that answer a question. Passages by full text (the question's
/// terms, ranked by how much of the question they hold, rare terms weighing most) and by text embedding; figures by CLIP
/// text-to-image and by their caption (full text and embedding). The lists are fused by reciprocal rank, the top
/// <see cref="DocumentRetrievalOptions.RerankDepth"/> reranked by the cross-encoder when there is one, near-identical
/// passages pushed down by MMR, and nothing returned when the best hit is below the relevance floor.
/// </summary>
public sealed class DocumentRetriever(ICollectionStore collections, IDocumentStore store, DocumentRetrievalModels models, DocumentRetrievalOptions options) : IDocumentRetriever
{
    public const string FullTextStage = "full-text";
    public const string EmbedderStage = "embedder";
    public const string RerankerStage = "reranker";
    public const string FiguresStage = "figures";

    private const int TextCandidates = 200;

    public async Task<DocumentRetrievalResult> RetrieveAsync(DocumentQuestion question, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentOutOfRangeException.ThrowIfLessThan(question.K, 1);
        var collection = await collections.FindAsync(question.Collection, cancellationToken) ?? throw new CollectionNotFoundException(question.Collection);
        var text = question.Question.Trim();
        var stages = new List<string> { FullTextStage };
        var coverage = new TermCoverage(await store.TermStatisticsAsync(collection, text, cancellationToken));
        var lists = new List<(IReadOnlyList<DocumentCandidate>, double)>
        {
            (ByCoverage(await store.SearchPassageTextAsync(collection, text, TextCandidates, cancellationToken), coverage, options.CandidatesPerStage), 1.0),
        };

        var textModel = await UsableTextModelAsync(collection, cancellationToken);
        float[]? textQuery = textModel is null ? null : textModel.Embedder.EmbedTexts([text], 1)[0];
        if (textModel is not null && options.UseEmbedder)
        {
            lists.Add((await store.SearchPassageVectorsAsync(collection, textModel.Id, textQuery!, options.CandidatesPerStage, cancellationToken), 1.0));
            stages.Add(EmbedderStage);
        }

        if (options.UseFigures)
        {
            lists.Add((ByCoverage(await store.SearchFigureTextAsync(collection, text, TextCandidates, cancellationToken), coverage, options.FigureCandidates), options.FigureWeight));
            if (models.Figures is not null && await models.Figures.EmbedAsync(collection, text, cancellationToken) is { } clipQuery)
            {
                lists.Add((await store.SearchFigureImagesAsync(collection, clipQuery, options.FigureCandidates, cancellationToken), options.FigureWeight));
            }

            if (textModel is not null)
            {
                lists.Add((await store.SearchFigureTextVectorsAsync(collection, textModel.Id, textQuery!, options.FigureCandidates, cancellationToken), options.FigureWeight));
            }

            stages.Add(FiguresStage);
        }

        var fused = Fuse(lists, coverage);
        var reranked = models.Reranker is not null && options.UseReranker;
        if (reranked)
        {
            fused = Rerank(text, fused);
            stages.Add(RerankerStage);
        }

        var best = fused.Count == 0 ? null : fused[0];
        var belowFloor = best is null || (reranked ? Sigmoid(best.Score) < options.RerankFloor : fused.Max(c => c.Coverage) < options.TermCoverageFloor);
        if (belowFloor)
        {
            return new DocumentRetrievalResult([], true, stages);
        }

        var diverse = LexicalDiversity.Reorder(fused, c => c.Score, c => c.Candidate.Text, options.MmrLambda, question.K);
        return new DocumentRetrievalResult(diverse.Select(Hit).ToList(), false, stages);
    }

    public async Task<byte[]?> FigureCropAsync(string collection, long figureId, CancellationToken cancellationToken = default)
    {
        var found = await collections.FindAsync(collection, cancellationToken) ?? throw new CollectionNotFoundException(collection);
        return await store.FigureCropAsync(found, figureId, cancellationToken);
    }

    /// <summary>The text model, when the collection's documents were embedded by it (vectors of two models are never compared).</summary>
    private async Task<Ingestion.DocumentTextModel?> UsableTextModelAsync(Collection collection, CancellationToken cancellationToken) =>
        models.Text is { } model && (await store.TextModelsAsync(collection, cancellationToken)).Contains(model.Id, StringComparer.Ordinal) ? model : null;

    /// <summary>Full-text candidates reordered by how much of the question they hold; the text rank breaks ties.</summary>
    private static List<DocumentCandidate> ByCoverage(IReadOnlyList<DocumentCandidate> candidates, TermCoverage coverage, int take) =>
        candidates.OrderByDescending(c => coverage.Of(c.MatchedTerms)).ThenByDescending(c => c.Score).Take(take).ToList();

    /// <summary>
    /// Reciprocal rank fusion (k = 60), weighted: a figure list counts <see cref="DocumentRetrievalOptions.FigureWeight"/>
    /// of a passage list, so that three figure stages agreeing on one figure do not bury the passages.
    /// </summary>
    private List<Scored> Fuse(List<(IReadOnlyList<DocumentCandidate> List, double Weight)> lists, TermCoverage coverage)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        // One entry per passage or figure; the full-text list's copy knows which of the question's terms it holds.
        var byKey = new Dictionary<string, DocumentCandidate>(StringComparer.Ordinal);
        foreach (var (list, weight) in lists)
        {
            for (var rank = 0; rank < list.Count; rank++)
            {
                var candidate = list[rank];
                scores[candidate.Key] = scores.GetValueOrDefault(candidate.Key) + (weight / (ReciprocalRankFusion.K + rank + 1));
                if (!byKey.TryGetValue(candidate.Key, out var seen) || candidate.MatchedTerms.Count > seen.MatchedTerms.Count)
                {
                    byKey[candidate.Key] = candidate;
                }
            }
        }

        return byKey.Values
            .Select(c => new Scored(c, scores[c.Key], coverage.Of(c.MatchedTerms)))
            .OrderByDescending(s => s.Score).ThenBy(s => s.Candidate.Key, StringComparer.Ordinal)
            .Take(options.RerankDepth)
            .ToList();
    }

    private List<Scored> Rerank(string question, List<Scored> fused)
    {
        var logits = models.Reranker!.Score(question, fused.Select(s => Passage(s.Candidate)).ToList());
        return fused.Select((s, i) => s with { Score = logits[i] }).OrderByDescending(s => s.Score).ToList();
    }

    /// <summary>What the cross-encoder reads: headings give a passage its subject.</summary>
    private static string Passage(DocumentCandidate candidate) =>
        candidate.HeadingPath.Count == 0 ? candidate.Text : $"{string.Join(" > ", candidate.HeadingPath)}\n{candidate.Text}";

    private static DocumentHit Hit(Scored scored) => new(
        scored.Candidate.Kind, scored.Candidate.Id, scored.Candidate.DocumentId, scored.Candidate.DocumentPath, scored.Candidate.Page,
        scored.Candidate.Box, scored.Candidate.Text, scored.Candidate.HeadingPath, scored.Score);

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>A candidate with the current stage's score and its term coverage (the floor without a reranker).</summary>
    private sealed record Scored(DocumentCandidate Candidate, double Score, double Coverage);
}
