using MultiModalSearch.Abstractions.Errors;
using MultiModalSearch.Abstractions.Retrieval;
using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Core.Retrieval;

/// <summary>
/// Two-stage retrieval. Stage one: the query's embedding, then HNSW candidates (with the filter; exact when the filter
/// is too selective for the graph) and, for text, keyword candidates. Stage two, in order: reciprocal rank fusion of
/// the two lists (an exact file-name match first), a model reranker, near-duplicate collapse, maximal marginal
/// relevance, the adaptive cutoff, date order, and the page. Every step but fusion runs only on request.
/// </summary>
public sealed class RetrievalService(IRetrievalStore store, CollectionEncoders encoders, RetrievalOptions options, IEnumerable<IReranker> rerankers)
{
    private readonly CollectionSizes sizes = new(store, options.SizeRefresh);

    /// <exception cref="InvalidSettingException">The request is malformed; <see cref="InvalidSettingException.Setting"/> names the field.</exception>
    /// <exception cref="ContentNotFoundException">The asset id is not indexed in the collection.</exception>
    /// <exception cref="Imaging.ImageDecodeException">The image cannot be read.</exception>
    public async Task<RetrievalResult> SearchAsync(RetrievalRequest request, CancellationToken cancellationToken = default)
    {
        Validate(request);
        var reranker = request.Rerank.Model is null ? null : FindReranker(request.Rerank.Model, request.Text);
        var clock = new StageClock();
        var vector = await QueryVectorAsync(request.Collection, request.Text, request.AssetId, request.Image, request.ImageName, cancellationToken);
        clock.Mark("encode");

        var rerank = request.Rerank;
        var page = request.Offset + request.K + (request.AssetId is null ? 0 : 1);
        var withEmbeddings = rerank.Mmr is not null || rerank.Collapse is not null;
        var pooled = withEmbeddings || request.AutoCutoff || request.Order == ResultOrder.TakenAt || reranker is not null;
        var limit = pooled ? Math.Clamp(page * options.PoolFactor, Math.Max(options.MinPool, page), Math.Max(options.MaxPool, page)) : page;
        var hybrid = request.Text is not null && (rerank.Hybrid ?? true);
        limit = hybrid ? Math.Max(limit, options.HybridDepth) : limit;
        var ef = options.EfSearchFor(page, await sizes.SizeAsync(request.Collection, cancellationToken));
        var nearest = store.NearestAsync(request.Collection, new CandidateQuery(vector, limit, ef, request.Filter, withEmbeddings), cancellationToken);
        var keywords = hybrid
            ? store.KeywordAsync(request.Collection, request.Text!, request.Filter, Math.Min(limit, 1000), cancellationToken)
            : Task.FromResult<IReadOnlyList<KeywordHit>>([]);
        await Task.WhenAll(nearest, keywords);
        var (candidates, hits) = (await nearest, await keywords);
        clock.Mark("candidates");

        var ranked = candidates.Candidates.Select(c => new RankedContent(c.Content, c.Similarity) { Embedding = c.Embedding }).ToList();
        if (hits.Count > 0)
        {
            ranked = await FuseAsync(request.Collection, ranked, hits, vector, withEmbeddings, cancellationToken);
            clock.Mark("fusion");
        }

        if (request.AssetId is { } self)
        {
            ranked.RemoveAll(r => r.Content.ContentHash.AsSpan().SequenceEqual(self));
        }

        if (reranker is not null)
        {
            ranked = await RerankAsync(reranker, request.Collection, request.Text!, ranked, cancellationToken);
            clock.Mark("rerank");
        }

        if (rerank.Collapse is { } threshold)
        {
            ranked = NearDuplicateCollapse.Collapse(ranked, threshold);
            clock.Mark("collapse");
        }

        if (rerank.Mmr is { } lambda)
        {
            ranked = MaximalMarginalRelevance.Reorder(ranked, lambda, request.Offset + request.K);
            clock.Mark("mmr");
        }

        int? cutAt = null;
        if (request.AutoCutoff)
        {
            ranked = Cut(ranked);
            cutAt = ranked.Count;
            clock.Mark("cutoff");
        }

        if (request.Order == ResultOrder.TakenAt)
        {
            // Stable: equal dates keep their relevance order.
            ranked = ranked.OrderBy(r => r.Content.TakenAt is null).ThenByDescending(r => r.Content.TakenAt).ToList();
        }

        var results = ranked.Skip(request.Offset).Take(request.K).ToList();
        clock.Mark("page");
        return new RetrievalResult(results, new RetrievalDiagnostics(clock.Stages, candidates.Candidates.Count, hits.Count, candidates.Plan, ef, cutAt));
    }

    /// <summary>Image to text: the texts of the image's nearest contents (and its own), ranked by the text tower against the image.</summary>
    /// <exception cref="InvalidSettingException">The request is malformed.</exception>
    /// <exception cref="ContentNotFoundException">The asset id is not indexed in the collection.</exception>
    public async Task<IReadOnlyList<TextMatch>> RankTextsAsync(TextRankingRequest request, CancellationToken cancellationToken = default)
    {
        if ((request.AssetId is null) == (request.Image is null))
        {
            throw new InvalidSettingException("query", "give exactly one of an asset id and an image");
        }

        CheckK(request.K);
        var vector = await QueryVectorAsync(request.Collection, null, request.AssetId, request.Image, request.ImageName, cancellationToken);
        var neighbours = await store.NearestAsync(request.Collection,
            new CandidateQuery(vector, options.TextNeighbours, options.EfSearchFor(options.TextNeighbours, await sizes.SizeAsync(request.Collection, cancellationToken)), SearchFilter.None),
            cancellationToken);
        var hashes = neighbours.Candidates.Select(c => c.Content.ContentHash).ToList();
        if (request.AssetId is { } self)
        {
            hashes.Insert(0, self);
        }

        var texts = (await store.TextsAsync(request.Collection, hashes, cancellationToken))
            .Where(t => !string.IsNullOrWhiteSpace(t.Text))
            .DistinctBy(t => t.Text, StringComparer.Ordinal).Take(options.MaxTextCandidates).ToList();
        if (texts.Count == 0)
        {
            return [];
        }

        var encoder = await encoders.ForAsync(request.Collection, cancellationToken);
        var embedded = await encoder.EmbedTextsAsync(texts.Select(t => t.Text).ToList(), cancellationToken);
        return texts.Select((t, i) => new TextMatch(t.Text, t.Kind, t.ContentHash, t.Path, VectorMath.Cosine(vector, embedded[i])))
            .OrderByDescending(m => m.Score).Take(request.K).ToList();
    }

    private async Task<float[]> QueryVectorAsync(Collection collection, string? text, byte[]? assetId, ReadOnlyMemory<byte>? image, string imageName, CancellationToken cancellationToken)
    {
        if (assetId is not null)
        {
            var stored = await store.EmbeddingsAsync(collection, [assetId], cancellationToken);
            return stored.Values.FirstOrDefault() ?? throw new ContentNotFoundException(Convert.ToHexStringLower(assetId));
        }

        var encoder = await encoders.ForAsync(collection, cancellationToken);
        return text is not null ? await encoder.EmbedTextAsync(text, cancellationToken) : encoder.EmbedImage(image!.Value.Span, imageName);
    }

    /// <summary>
    /// Reciprocal rank fusion of the vector ranking and the keyword ranking; contents whose file name equals the query
    /// come first. Keyword hits that stage one did not find are looked up for their similarity and summary.
    /// </summary>
    private async Task<List<RankedContent>> FuseAsync(Collection collection, List<RankedContent> ranked, IReadOnlyList<KeywordHit> hits, float[] vector, bool withEmbeddings, CancellationToken cancellationToken)
    {
        var byId = ranked.ToDictionary(r => Id(r.Content.ContentHash), StringComparer.Ordinal);
        var missing = hits.Where(h => !byId.ContainsKey(Id(h.ContentHash))).Select(h => h.ContentHash).ToList();
        foreach (var (id, found) in await store.CandidatesAsync(collection, missing, vector, withEmbeddings, cancellationToken))
        {
            byId[id] = new RankedContent(found.Content, found.Similarity) { Embedding = found.Embedding };
        }

        var exact = hits.Where(h => h.ExactFileName).Select(h => Id(h.ContentHash)).ToHashSet(StringComparer.Ordinal);
        var fused = ReciprocalRankFusion.Fuse(ranked.Select(r => Id(r.Content.ContentHash)).ToList(), hits.Select(h => Id(h.ContentHash)).ToList());
        return fused.Where(f => byId.ContainsKey(f.Key))
            .Select(f => byId[f.Key] with { FusedScore = f.Value, ExactFileName = exact.Contains(f.Key) })
            .OrderByDescending(r => r.ExactFileName).ThenByDescending(r => r.FusedScore).ToList();
    }

    private async Task<List<RankedContent>> RerankAsync(IReranker reranker, Collection collection, string query, List<RankedContent> ranked, CancellationToken cancellationToken)
    {
        var head = ranked.Take(options.RerankDepth).ToList();
        var texts = (await store.TextsAsync(collection, head.Select(r => r.Content.ContentHash).ToList(), cancellationToken))
            .ToLookup(t => Id(t.ContentHash), t => t.Text, StringComparer.Ordinal);
        var scores = await reranker.ScoreAsync(query, head.Select(r => new RerankCandidate(r.Content, texts[Id(r.Content.ContentHash)].ToList(), r.Embedding)).ToList(), cancellationToken);
        if (scores.Count != head.Count)
        {
            throw new InvalidOperationException($"reranker '{reranker.Name}' returned {scores.Count} scores for {head.Count} candidates");
        }

        return head.Select((r, i) => r with { RerankScore = scores[i] }).OrderByDescending(r => r.RerankScore)
            .Concat(ranked.Skip(head.Count)).ToList();
    }

    /// <summary>Keeps the results above the cliff in the similarities (and every exact file-name match).</summary>
    private static List<RankedContent> Cut(List<RankedContent> ranked)
    {
        var scores = ranked.Select(r => r.Score).OrderByDescending(s => s).ToList();
        var keep = RelevanceCutoff.Count(scores);
        if (keep >= scores.Count)
        {
            return ranked;
        }

        var floor = scores[keep - 1];
        return ranked.Where(r => r.Score >= floor || r.ExactFileName).ToList();
    }

    private IReranker FindReranker(string name, string? text)
    {
        if (text is null)
        {
            throw new InvalidSettingException("rerank.model", "needs a text query: a reranker scores the query text against each result's texts");
        }

        return rerankers.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidSettingException("rerank.model", rerankers.Any()
                ? $"'{name}' is not a reranker here (available: {string.Join(", ", rerankers.Select(r => r.Name))})"
                : $"'{name}' is not a reranker here (none is installed)");
    }

    private static void Validate(RetrievalRequest request)
    {
        var sources = (request.Text is null ? 0 : 1) + (request.AssetId is null ? 0 : 1) + (request.Image is null ? 0 : 1);
        if (sources != 1)
        {
            throw new InvalidSettingException("query", "give exactly one of a text and an asset id (or upload one image)");
        }

        if (request.Text is not null)
        {
            if (string.IsNullOrWhiteSpace(request.Text))
            {
                throw new InvalidSettingException("text", "is empty: give some words to search for");
            }

            if (request.Text.Length > SearchLimits.MaxTextLength)
            {
                throw new InvalidSettingException("text", $"is {request.Text.Length} characters long; the most is {SearchLimits.MaxTextLength}");
            }
        }

        CheckK(request.K);
        if (request.Offset is < 0 or > SearchLimits.MaxOffset)
        {
            throw new InvalidSettingException("offset", $"must be between 0 and {SearchLimits.MaxOffset} (got {request.Offset})");
        }

        if (request.Rerank.Mmr is { } lambda && !(lambda >= 0 && lambda <= 1))
        {
            throw new InvalidSettingException("rerank.mmr", $"must be between 0 and 1 (got {lambda})");
        }

        if (request.Rerank.Collapse is { } threshold && !(threshold > 0 && threshold <= 1))
        {
            throw new InvalidSettingException("rerank.collapse", $"must be above 0 and at most 1 (got {threshold})");
        }

        ValidateFilter(request.Filter);
    }

    private static void ValidateFilter(SearchFilter filter)
    {
        if (filter.TakenAfter is { } after && filter.TakenBefore is { } before && after > before)
        {
            throw new InvalidSettingException("filters.taken_before", $"({before:s}) is earlier than filters.takenAfter ({after:s})");
        }

        CheckLength("filters.path_prefix", filter.PathPrefix, 4096);
        CheckLength("filters.camera", filter.Camera, 200);
        CheckLength("filters.media_type", filter.MediaType, 100);
        if (filter.MinWidth is < 0)
        {
            throw new InvalidSettingException("filters.min_width", $"must be zero or more (got {filter.MinWidth})");
        }

        if (filter.MinHeight is < 0)
        {
            throw new InvalidSettingException("filters.min_height", $"must be zero or more (got {filter.MinHeight})");
        }
    }

    private static void CheckLength(string setting, string? value, int max)
    {
        if (value is not null && (value.Length == 0 || value.Length > max))
        {
            throw new InvalidSettingException(setting, $"must be 1 to {max} characters long (got {value.Length})");
        }
    }

    private static void CheckK(int k)
    {
        if (k is < 1 or > SearchLimits.MaxK)
        {
            throw new InvalidSettingException("k", $"must be between 1 and {SearchLimits.MaxK} (got {k})");
        }
    }

    private static string Id(byte[] hash) => Convert.ToHexStringLower(hash);
}
