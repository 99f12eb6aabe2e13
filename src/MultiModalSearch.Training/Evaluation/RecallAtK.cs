using System.Text.Json.Serialization;

namespace MultiModalSearch.Training.Evaluation;

/// <summary>Recall at 1/5/10 and the mean 1-based rank of the first correct result, for one retrieval direction.</summary>
public sealed record RecallAtK(
    [property: JsonPropertyName("r1")] double R1,
    [property: JsonPropertyName("r5")] double R5,
    [property: JsonPropertyName("r10")] double R10,
    [property: JsonPropertyName("mean_rank")] double MeanRank)
{
    /// <summary>From the 1-based rank of the best correct result of each query.</summary>
    public static RecallAtK FromRanks(IReadOnlyList<int> ranks)
    {
        if (ranks.Count == 0)
        {
            return new RecallAtK(0, 0, 0, 0);
        }

        double Share(int k) => (double)ranks.Count(r => r <= k) / ranks.Count;
        return new RecallAtK(Share(1), Share(5), Share(10), ranks.Average());
    }
}
