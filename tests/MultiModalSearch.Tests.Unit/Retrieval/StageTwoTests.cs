using MultiModalSearch.Abstractions.Retrieval;
using MultiModalSearch.Core.Retrieval;

namespace MultiModalSearch.Tests.Retrieval;

/// <summary>The pure steps of stage two: rank fusion, the cutoff, diversity, duplicate collapse.</summary>
public sealed class StageTwoTests
{
    [Fact]
    public void FusionRewardsItemsBothListsRankHigh()
    {
        var fused = ReciprocalRankFusion.Fuse(["a", "b", "c"], ["c", "d"]);

        Assert.Equal("c", fused.MaxBy(f => f.Value).Key);
        Assert.Equal((1.0 / 61) + 0, fused["a"], 12);
        Assert.Equal((1.0 / 63) + (1.0 / 61), fused["c"], 12);
    }

    [Theory]
    [InlineData(new[] { 0.31, 0.30, 0.30, 0.29, 0.12, 0.11, 0.11, 0.10 }, 4)]
    [InlineData(new[] { 0.9, 0.2, 0.19, 0.18, 0.17 }, 1)]
    [InlineData(new[] { 0.30, 0.29, 0.28, 0.27, 0.26, 0.25 }, 6)]
    [InlineData(new[] { 0.5, 0.4 }, 2)]
    public void TheCutoffIsTheSignificantCliff(double[] scores, int kept) =>
        Assert.Equal(kept, RelevanceCutoff.Count(scores));

    [Fact]
    public void CollapseFoldsNearIdenticalEmbeddingsIntoTheBetterOneAndCountsThem()
    {
        var ranked = new[]
        {
            Result("a", 0.9, [1, 0, 0]),
            Result("a-copy", 0.89, [0.999f, 0.0447f, 0]),
            Result("b", 0.8, [0, 1, 0]),
            Result("a-copy2", 0.7, [0.998f, 0, 0.0632f]),
        };

        var kept = NearDuplicateCollapse.Collapse(ranked, 0.95);

        Assert.Equal(["a", "b"], kept.Select(Name));
        Assert.Equal(2, kept[0].Duplicates);
        Assert.Equal(0, kept[1].Duplicates);
    }

    [Fact]
    public void MmrPrefersADifferentResultOverASecondCopy()
    {
        var ranked = new[]
        {
            Result("a", 0.90, [1, 0, 0]),
            Result("a-copy", 0.89, [0.999f, 0.0447f, 0]),
            Result("b", 0.80, [0, 1, 0]),
        };

        Assert.Equal(["a", "b", "a-copy"], MaximalMarginalRelevance.Reorder(ranked, 0.5, 3).Select(Name));
        Assert.Equal(["a", "a-copy", "b"], MaximalMarginalRelevance.Reorder(ranked, 1.0, 3).Select(Name));
    }

    private static string Name(RankedContent r) => r.Content.Paths[0];

    private static RankedContent Result(string name, double score, float[] embedding) =>
        new(new ContentSummary(new byte[32], [name], null, null, null, null, null, null), score) { Embedding = embedding };
}
