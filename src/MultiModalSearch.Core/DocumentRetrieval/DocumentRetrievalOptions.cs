namespace MultiModalSearch.Core.DocumentRetrieval;

/// <summary>
/// How document retrieval runs. Each stage can be switched off (the evaluation measures what each adds); a stage whose
/// model is missing does not run whatever its switch says, and the result says which ran.
/// </summary>
public sealed record DocumentRetrievalOptions
{
    /// <summary>Passages by their text embedding (needs a text model, and documents embedded by it).</summary>
    public bool UseEmbedder { get; init; } = true;

    /// <summary>The cross-encoder over the fused top <see cref="RerankDepth"/> (needs a reranker model).</summary>
    public bool UseReranker { get; init; } = true;

    /// <summary>Figures by CLIP text-to-image, by their caption's full text and by its embedding.</summary>
    public bool UseFigures { get; init; } = true;

    /// <summary>Candidates each stage hands to the fusion.</summary>
    public int CandidatesPerStage { get; init; } = 50;

    /// <summary>Figures each figure stage hands to the fusion.</summary>
    public int FigureCandidates { get; init; } = 10;

    /// <summary>What a figure list weighs in the fusion, against 1 for a passage list.</summary>
    public double FigureWeight { get; init; } = 0.5;

    public int RerankDepth { get; init; } = 50;

    /// <summary>MMR's balance: 1 keeps the ranking as it is, lower values push near-identical passages down.</summary>
    public double MmrLambda { get; init; } = 0.7;

    /// <summary>
    /// Without a reranker, the floor: the share of the question's terms, weighted by rarity (IDF), that the best hit
    /// holds. A question whose telling terms are nowhere in the collection stays below it.
    /// </summary>
    public double TermCoverageFloor { get; init; } = 0.5;

    /// <summary>With a reranker, the floor on its probability (sigmoid of its logit) for the best hit.</summary>
    public double RerankFloor { get; init; } = 0.05;
}
