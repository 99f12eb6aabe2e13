namespace MultiModalSearch.Models.Tokenization.WordPiece;

/// <summary>One model input: <c>[CLS] a [SEP]</c> or <c>[CLS] a [SEP] b [SEP]</c>, with the segment of every id.</summary>
/// <param name="Ids">Token ids, no padding.</param>
/// <param name="TypeIds">0 for <c>[CLS]</c>, the first text and its <c>[SEP]</c>; 1 for the second text and the last <c>[SEP]</c>.</param>
public sealed record BertEncoding(int[] Ids, int[] TypeIds)
{
    public int Length => Ids.Length;
}
