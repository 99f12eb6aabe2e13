namespace MultiModalSearch.Core.Retrieval;

/// <summary>Stage two's optional steps.</summary>
public sealed record RerankOptions
{
    /// <summary>Fuse keyword matches (text items, paths, file names) by reciprocal rank; null: on for text queries.</summary>
    public bool? Hybrid { get; init; }

    /// <summary>Maximal marginal relevance with this lambda (1: relevance only, 0: diversity only); null: off.</summary>
    public double? Mmr { get; init; }

    /// <summary>Show contents whose embeddings have at least this cosine to a better result once, with a count; null: off.</summary>
    public double? Collapse { get; init; }

    /// <summary>A registered <see cref="Abstractions.Retrieval.IReranker"/> by name; null: none.</summary>
    public string? Model { get; init; }

    public static RerankOptions Default { get; } = new();
}
