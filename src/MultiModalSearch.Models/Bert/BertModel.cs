using TorchSharp;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Bert;

/// <summary>
/// The BERT encoder (BertModel): embeddings, post-LayerNorm blocks and, when the checkpoint has one, the pooler; keys
/// <c>embeddings.*</c>, <c>encoder.layer.{i}.*</c>, <c>pooler.dense.*</c>.
/// </summary>
public sealed class BertModel : Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly BertEmbeddings embeddings;
    private readonly BertEncoder encoder;
    private readonly BertPooler? pooler;

    public BertModel(BertConfig config, bool addPoolingLayer = true, Device? device = null, ScalarType? dtype = null) : base(nameof(BertModel))
    {
        Config = config;
        embeddings = new BertEmbeddings(config, device, dtype);
        encoder = new BertEncoder(config, device, dtype);
        pooler = addPoolingLayer ? new BertPooler(config, device, dtype) : null;
        RegisterComponents();
    }

    public BertConfig Config { get; }

    public bool HasPooler => pooler is not null;

    /// <summary>The last hidden state [batch, tokens, width]; rows past a text's mask hold padding's states.</summary>
    /// <param name="input_ids">[batch, tokens] int64.</param>
    /// <param name="attention_mask">[batch, tokens] 1 for real tokens, 0 for padding.</param>
    /// <param name="token_type_ids">[batch, tokens] segment of each token.</param>
    public override Tensor forward(Tensor input_ids, Tensor attention_mask, Tensor token_type_ids)
    {
        using var scope = NewDisposeScope();
        var hidden_states = embeddings.call(input_ids, token_type_ids);
        hidden_states = encoder.call(hidden_states, KeyMask(attention_mask));
        return hidden_states.MoveToOuterDisposeScope();
    }

    /// <summary>tanh(dense([CLS] state)): what classification heads read.</summary>
    public Tensor Pool(Tensor last_hidden_state) =>
        pooler?.call(last_hidden_state) ?? throw new InvalidOperationException("this BERT checkpoint has no pooler (pooler.dense.*)");

    // [batch, tokens] -> [batch, 1, 1, tokens] booleans, broadcast over heads and queries. A batch without padding
    // needs no mask, which lets the attention kernel skip it.
    private static Tensor? KeyMask(Tensor attention_mask)
    {
        var keep = attention_mask.to(ScalarType.Bool);
        if (keep.all().item<bool>())
        {
            return null;
        }

        return keep.view(attention_mask.shape[0], 1, 1, attention_mask.shape[1]);
    }
}
