using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Bert;

/// <summary>Word, position and token-type embeddings summed, then LayerNorm (BertEmbeddings); keys <c>embeddings.*</c>.</summary>
public sealed class BertEmbeddings : Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm LayerNorm;

    public BertEmbeddings(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertEmbeddings))
    {
        word_embeddings = Embedding(config.VocabSize, config.HiddenSize, device: device, dtype: dtype);
        position_embeddings = Embedding(config.MaxPositionEmbeddings, config.HiddenSize, device: device, dtype: dtype);
        token_type_embeddings = Embedding(config.TypeVocabSize, config.HiddenSize, device: device, dtype: dtype);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <param name="input_ids">[batch, tokens] int64.</param>
    /// <param name="token_type_ids">[batch, tokens] int64: 0 for the first text, 1 for the second of a pair.</param>
    public override Tensor forward(Tensor input_ids, Tensor token_type_ids)
    {
        using var scope = NewDisposeScope();
        var tokens = input_ids.shape[1];
        // Positions count from 0 for every row: padding sits after the text, so real tokens get the reference's positions.
        var positions = position_embeddings.weight!.narrow(0, 0, tokens);
        var embeddings = word_embeddings.call(input_ids) + token_type_embeddings.call(token_type_ids) + positions;
        return LayerNorm.call(embeddings).MoveToOuterDisposeScope();
    }
}
