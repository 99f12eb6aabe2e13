using MultiModalSearch.Models.Compute;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Llama;

/// <summary>
/// The decoder with its language-model head (LlamaForCausalLM): keys <c>model.*</c> and <c>lm_head.weight</c>. With tied
/// embeddings there is no <c>lm_head</c>: the token embedding table projects the hidden states back onto the vocabulary.
/// </summary>
public sealed class LlamaForCausalLM : Module<Tensor, LlamaKvCache?, Tensor>
{
    private readonly LlamaModel model;
    private readonly Linear? lm_head;

    public LlamaForCausalLM(LlamaConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(LlamaForCausalLM))
    {
        Config = config;
        model = new LlamaModel(config, device, dtype);
        lm_head = config.TieWordEmbeddings ? null : Linear(config.HiddenSize, config.VocabSize, hasBias: false, device: device, dtype: dtype);
        RegisterComponents();
    }

    public LlamaConfig Config { get; }

    public LlamaModel Model => model;

    /// <summary>Logits at every position, [batch, length, vocab] (training, scoring).</summary>
    public override Tensor forward(Tensor inputs_embeds, LlamaKvCache? cache)
    {
        using var scope = NewDisposeScope();
        return Project(model.call(inputs_embeds, cache)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Logits at the last position only, [batch, vocab]: what generation needs. Skipping the other positions' vocabulary
    /// projection saves most of a long prompt's prefill (576 image positions times a 32000-row head).
    /// </summary>
    public Tensor LastLogits(Tensor inputs_embeds, LlamaKvCache? cache)
    {
        using var scope = NewDisposeScope();
        var hidden_states = model.call(inputs_embeds, cache);
        return Project(hidden_states.select(1, -1)).MoveToOuterDisposeScope();
    }

    private Tensor Project(Tensor hidden_states) =>
        lm_head is not null ? SingleRowLinear.Forward(lm_head, hidden_states) : SingleRowLinear.Forward(hidden_states, model.EmbeddingWeight);
}
