using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Bert;

/// <summary>
/// BERT with a linear head on the pooled [CLS] state (BertForSequenceClassification); keys <c>bert.*</c> and
/// <c>classifier.*</c>. A cross-encoder reranker is one of these with one label.
/// </summary>
public sealed class BertForSequenceClassification : Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly BertModel bert;
    private readonly Linear classifier;

    public BertForSequenceClassification(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertForSequenceClassification))
    {
        bert = new BertModel(config, addPoolingLayer: true, device, dtype);
        classifier = Linear(config.HiddenSize, config.NumLabels, device: device, dtype: dtype);
        RegisterComponents();
    }

    public BertConfig Config => bert.Config;

    public BertModel Bert => bert;

    /// <summary>Raw logits [batch, num_labels].</summary>
    public override Tensor forward(Tensor input_ids, Tensor attention_mask, Tensor token_type_ids)
    {
        using var scope = NewDisposeScope();
        var last_hidden_state = bert.call(input_ids, attention_mask, token_type_ids);
        return classifier.call(bert.Pool(last_hidden_state)).MoveToOuterDisposeScope();
    }
}
