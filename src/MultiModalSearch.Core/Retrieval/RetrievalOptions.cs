namespace MultiModalSearch.Core.Retrieval;

/// <summary>How wide stage one searches and how large a pool stage two works on.</summary>
public sealed record RetrievalOptions
{
    /// <summary>The HNSW search width never goes below this (recall@10 on clustered data: docs/benchmarks.md).</summary>
    public int MinEfSearch { get; init; } = 100;

    /// <summary>
    /// Larger graphs need a wider search for the same recall: the width grows by <see cref="MinEfSearch"/> for each
    /// this many contents (recall@10 on 1M clustered vectors was 0.84 at ef 100 and 0.96 at ef 400; 0.9995 at ef 100
    /// on 100k). 0 turns the growth off.
    /// </summary>
    public long ContentsPerEfStep { get; init; } = 250_000;

    /// <summary>How long a collection's size is trusted before it is asked again.</summary>
    public TimeSpan SizeRefresh { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The width grows with the results a page needs (offset + k) by this factor, up to pgvector's 1000.</summary>
    public int EfSearchPerResult { get; init; } = 4;

    /// <summary>Diversity, collapse, cutoff and date order choose among this many times the page (at least <see cref="MinPool"/>).</summary>
    public int PoolFactor { get; init; } = 3;

    public int MinPool { get; init; } = 100;

    /// <summary>The most candidates any step reads (bounds the largest offset + k with a pool).</summary>
    public int MaxPool { get; init; } = 12_000;

    /// <summary>Hybrid fusion ranks at least this many vector candidates, so that a keyword hit the vector side ranks a
    /// little lower still meets it (with a list as short as k = 1 every fused score would tie).</summary>
    public int HybridDepth { get; init; } = 20;

    /// <summary>How many best candidates a model reranker rescores.</summary>
    public int RerankDepth { get; init; } = 100;

    public double DefaultMmrLambda { get; init; } = 0.5;

    public double DefaultCollapseThreshold { get; init; } = NearDuplicateCollapse.DefaultThreshold;

    /// <summary>Image to text: the neighbours whose texts are candidates, and the most texts embedded per request.</summary>
    public int TextNeighbours { get; init; } = 50;

    public int MaxTextCandidates { get; init; } = 256;

    /// <summary>
    /// The HNSW search width for a page that needs this many results (offset + k) in a collection of about
    /// <paramref name="contents"/> contents, up to pgvector's 1000.
    /// </summary>
    public int EfSearchFor(int page, long contents)
    {
        var steps = ContentsPerEfStep > 0 ? Math.Max(1, Math.Min(contents / ContentsPerEfStep, 10)) : 1;
        return (int)Math.Clamp(Math.Max(MinEfSearch * steps, (long)EfSearchPerResult * page), 1, 1000);
    }
}
