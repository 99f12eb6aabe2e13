using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Bench;

/// <summary>
/// Exact top-k by cosine (dot product of unit vectors) in float32, the ground truth for recall: brute force with
/// torch matrix products over chunks of rows, merging each chunk's top-k, so a million rows need no extra copy.
/// </summary>
internal static class ExactNeighbours
{
    private const int ChunkRows = 65536;

    /// <summary>Row numbers of the k nearest rows for each query, nearest first.</summary>
    public static long[][] TopK(IReadOnlyList<float[]> rows, IReadOnlyList<float[]> queries, int k)
    {
        var dim = queries[0].Length;
        using var scope = NewDisposeScope();
        var q = torch.tensor(queries.SelectMany(x => x).ToArray(), [queries.Count, dim]);
        Tensor? bestScores = null, bestRows = null;
        for (var start = 0; start < rows.Count; start += ChunkRows)
        {
            var n = Math.Min(ChunkRows, rows.Count - start);
            var chunk = torch.tensor(Flatten(rows, start, n, dim), [n, dim]);
            var (scores, index) = q.mm(chunk.t()).topk(Math.Min(k, n), dim: 1);
            var rowNumbers = index + start;
            (bestScores, bestRows) = bestScores is null ? (scores, rowNumbers) : Merge(bestScores, bestRows!, scores, rowNumbers, k);
        }

        var flat = bestRows!.contiguous().data<long>().ToArray();
        var width = (int)bestRows.shape[1];
        return Enumerable.Range(0, queries.Count).Select(i => flat.AsSpan(i * width, width).ToArray()).ToArray();
    }

    private static float[] Flatten(IReadOnlyList<float[]> rows, int start, int n, int dim)
    {
        var flat = new float[n * dim];
        for (var i = 0; i < n; i++)
        {
            rows[start + i].CopyTo(flat, i * dim);
        }

        return flat;
    }

    private static (Tensor Scores, Tensor Rows) Merge(Tensor scoresA, Tensor rowsA, Tensor scoresB, Tensor rowsB, int k)
    {
        var scores = torch.cat([scoresA, scoresB], 1);
        var rows = torch.cat([rowsA, rowsB], 1);
        var (top, at) = scores.topk(k, dim: 1);
        return (top, rows.gather(1, at));
    }
}
