using Microsoft.Extensions.DependencyInjection;
using MultiModalSearch.Abstractions.Errors;
using MultiModalSearch.Abstractions.Retrieval;
using MultiModalSearch.Core.Retrieval;

namespace MultiModalSearch.Tests.Api;

/// <summary>
/// The seam a model reranker (the text-models issue's cross-encoder) plugs into: registered by name, it gets the query
/// text and the best candidates with their texts, and its scores decide the order.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RerankerSeamTests(ApiFixture fixture)
{
    [Fact]
    public async Task ARegisteredRerankerSeesTheQueryAndTheCandidatesTextsAndItsScoresDecideTheOrder()
    {
        var reranker = new FileNameLengthReranker();
        var services = fixture.Api.Services;
        var retrieval = new RetrievalService(services.GetRequiredService<IRetrievalStore>(), services.GetRequiredService<CollectionEncoders>(),
            new RetrievalOptions(), [reranker]);
        var collection = (await fixture.Storage.Collections.FindAsync(ApiFixture.Emoji))!;

        var plain = await retrieval.SearchAsync(new RetrievalRequest { Collection = collection, Text = "cat", K = 5 });
        var reranked = await retrieval.SearchAsync(new RetrievalRequest { Collection = collection, Text = "cat", K = 5, Rerank = new RerankOptions { Model = "length" } });

        Assert.Equal("cat", reranker.Query);
        Assert.Contains(reranker.Seen, c => c.Texts.Contains("cat") && c.Content.Paths.Any(p => p.EndsWith("/cat.png", StringComparison.Ordinal)));
        var names = reranked.Results.Select(r => Path.GetFileNameWithoutExtension(r.Content.Paths[0])).ToList();
        Assert.Equal(names.OrderByDescending(n => n.Length).ThenBy(n => names.IndexOf(n)).ToList(), names);
        Assert.All(reranked.Results, r => Assert.NotNull(r.RerankScore));
        Assert.NotEqual(plain.Results.Select(r => r.Content.Paths[0]), reranked.Results.Select(r => r.Content.Paths[0]));
        Assert.Contains("rerank", reranked.Diagnostics.StageMilliseconds.Select(s => s.Key));
        var unknown = await Assert.ThrowsAsync<InvalidSettingException>(() => retrieval.SearchAsync(new RetrievalRequest { Collection = collection, Text = "cat", Rerank = new RerankOptions { Model = "cross-encoder" } }));
        Assert.Contains("available: length", unknown.Message, StringComparison.Ordinal);
    }

    /// <summary>A stand-in with an obvious rule: longer first file names score higher.</summary>
    private sealed class FileNameLengthReranker : IReranker
    {
        public string Name => "length";

        public string? Query { get; private set; }

        public List<RerankCandidate> Seen { get; } = [];

        public Task<IReadOnlyList<double>> ScoreAsync(string query, IReadOnlyList<RerankCandidate> candidates, CancellationToken cancellationToken = default)
        {
            Query = query;
            Seen.AddRange(candidates);
            return Task.FromResult<IReadOnlyList<double>>(candidates.Select(c => (double)Path.GetFileNameWithoutExtension(c.Content.Paths[0]).Length).ToList());
        }
    }
}
