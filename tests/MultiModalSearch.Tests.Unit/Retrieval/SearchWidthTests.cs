using MultiModalSearch.Core.Retrieval;

namespace MultiModalSearch.Tests.Retrieval;

/// <summary>
/// Stage one's HNSW width grows with the page and with the collection: a million clustered vectors need ef 400 for
/// recall@10 0.96 where 100k reach 0.9995 at ef 100 (docs/benchmarks.md).
/// </summary>
public sealed class SearchWidthTests
{
    private readonly RetrievalOptions options = new();

    [Theory]
    [InlineData(10, 0, 100)]
    [InlineData(10, 100_000, 100)]
    [InlineData(10, 499_999, 100)]
    [InlineData(10, 500_000, 200)]
    [InlineData(10, 1_000_000, 400)]
    [InlineData(10, 100_000_000, 1000)]
    [InlineData(50, 100_000, 200)]
    [InlineData(300, 1_000_000, 1000)]
    public void WidthFollowsThePageAndTheCollectionsSize(int page, long contents, int expected) =>
        Assert.Equal(expected, options.EfSearchFor(page, contents));

    [Fact]
    public void GrowthWithSizeCanBeTurnedOff() =>
        Assert.Equal(100, (options with { ContentsPerEfStep = 0 }).EfSearchFor(10, 1_000_000));
}
