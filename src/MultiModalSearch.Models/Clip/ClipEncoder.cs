using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MultiModalSearch.Models.Clip;

/// <summary>The stack of residual blocks (CLIPEncoder); keys <c>encoder.layers.{i}.*</c>.</summary>
public sealed class ClipEncoder : Module<Tensor, Tensor>
{
    private readonly ModuleList<ClipEncoderLayer> layers;

    public ClipEncoder(ClipEncoderConfig config, bool causal, Device? device = null, ScalarType? dtype = null) : base(nameof(ClipEncoder))
    {
        layers = new ModuleList<ClipEncoderLayer>(
            Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new ClipEncoderLayer(config, causal, device, dtype)).ToArray());
        RegisterComponents();
    }

    public int Count => layers.Count;

    public override Tensor forward(Tensor hidden_states) => RunLayers(hidden_states, layers.Count);

    /// <summary>
    /// The residual stream after the first <paramref name="count"/> layers (Hugging Face's <c>hidden_states[count]</c>):
    /// readers of an earlier layer, such as LLaVA at <c>vision_feature_layer</c> -2, skip the rest.
    /// </summary>
    public Tensor RunLayers(Tensor hidden_states, int count)
    {
        if (count < 0 || count > layers.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"the encoder has {layers.Count} layers");
        }

        using var scope = NewDisposeScope();
        for (var i = 0; i < count; i++)
        {
            hidden_states = layers[i].call(hidden_states);
        }

        return hidden_states.alias().MoveToOuterDisposeScope();
    }
}
