namespace MultiModalSearch.Abstractions.Retrieval;

/// <summary>
/// A model that rescores a search's best candidates against the query text (a cross-encoder reads the query and each
/// candidate's texts together). Registered by <see cref="Name"/>; a request picks one with <c>rerank.model</c>.
/// </summary>
public interface IReranker
{
    string Name { get; }

    /// <summary>One score per candidate, in candidate order; higher is better.</summary>
    Task<IReadOnlyList<double>> ScoreAsync(string query, IReadOnlyList<RerankCandidate> candidates, CancellationToken cancellationToken = default);
}
