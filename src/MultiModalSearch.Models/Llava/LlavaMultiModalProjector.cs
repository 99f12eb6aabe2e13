using MultiModalSearch.Models.Clip;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Llava;

/// <summary>Maps vision features into the decoder's embedding space (LlavaMultiModalProjector): linear_1, GELU, linear_2.</summary>
public sealed class LlavaMultiModalProjector : Module<Tensor, Tensor>
{
    private readonly Linear linear_1;
    private readonly Linear linear_2;
    private readonly string activation;

    public LlavaMultiModalProjector(LlavaConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(LlavaMultiModalProjector))
    {
        activation = config.ProjectorHiddenAct;
        linear_1 = Linear(config.ProjectorInputSize, config.Text.HiddenSize, hasBias: config.MultimodalProjectorBias, device: device, dtype: dtype);
        linear_2 = Linear(config.Text.HiddenSize, config.Text.HiddenSize, hasBias: config.MultimodalProjectorBias, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor image_features)
    {
        using var scope = NewDisposeScope();
        var hidden_states = linear_1.call(image_features);
        // gelu is the exact (erf) form here, as in transformers' ACT2FN["gelu"].
        hidden_states = ClipActivation.Apply(activation, hidden_states);
        hidden_states = linear_2.call(hidden_states);
        return hidden_states.MoveToOuterDisposeScope();
    }
}
