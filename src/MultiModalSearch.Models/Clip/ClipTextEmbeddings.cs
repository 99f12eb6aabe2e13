using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MultiModalSearch.Models.Clip;

/// <summary>Token and learned position embeddings (CLIPTextEmbeddings).</summary>
public sealed class ClipTextEmbeddings : Module<Tensor, Tensor>
{
    private readonly Embedding token_embedding;
    private readonly Embedding position_embedding;

    public ClipTextEmbeddings(ClipTextConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(ClipTextEmbeddings))
    {
        token_embedding = Embedding(config.VocabSize, config.HiddenSize, device: device, dtype: dtype);
        position_embedding = Embedding(config.MaxPositionEmbeddings, config.HiddenSize, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input_ids)
    {
        using var scope = NewDisposeScope();
        // Batches may be cut to their longest sequence: with a causal mask the first L positions do not see the rest.
        var length = input_ids.shape[1];
        var positions = position_embedding.weight!.narrow(0, 0, length);
        return (token_embedding.call(input_ids) + positions).MoveToOuterDisposeScope();
    }
}
