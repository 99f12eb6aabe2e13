using MultiModalSearch.Models.Tokenization.WordPiece;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Bert;

/// <summary>
/// Encodings padded to the longest of them: input ids, attention mask and token types, [batch, longest] int64 on the
/// host. Padding to the batch's longest rather than to the model's limit is most of BERT's speed on short texts.
/// </summary>
public sealed class BertBatch : IDisposable
{
    private BertBatch(Tensor inputIds, Tensor attentionMask, Tensor tokenTypeIds)
    {
        InputIds = inputIds;
        AttentionMask = attentionMask;
        TokenTypeIds = tokenTypeIds;
    }

    public Tensor InputIds { get; }

    public Tensor AttentionMask { get; }

    public Tensor TokenTypeIds { get; }

    public static BertBatch Create(IReadOnlyList<BertEncoding> encodings, int padId)
    {
        ArgumentOutOfRangeException.ThrowIfZero(encodings.Count);
        var longest = encodings.Max(e => e.Length);
        var ids = new long[encodings.Count * longest];
        var mask = new long[ids.Length];
        var types = new long[ids.Length];
        Array.Fill(ids, padId);
        for (var row = 0; row < encodings.Count; row++)
        {
            var encoding = encodings[row];
            var offset = row * longest;
            for (var i = 0; i < encoding.Length; i++)
            {
                ids[offset + i] = encoding.Ids[i];
                mask[offset + i] = 1;
                types[offset + i] = encoding.TypeIds[i];
            }
        }

        long[] shape = [encodings.Count, longest];
        return new BertBatch(torch.tensor(ids, shape), torch.tensor(mask, shape), torch.tensor(types, shape));
    }

    /// <summary>
    /// Input positions grouped into batches of at most <paramref name="batchSize"/> texts of similar length (longest
    /// first), so that little of each batch is padding; callers put results back by position.
    /// </summary>
    public static IEnumerable<int[]> ByLength(IReadOnlyList<BertEncoding> encodings, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var order = Enumerable.Range(0, encodings.Count).OrderByDescending(i => encodings[i].Length).ToArray();
        return order.Chunk(batchSize);
    }

    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        TokenTypeIds.Dispose();
    }
}
