using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Clip;

/// <summary>
/// The vision tower alone (CLIPVisionModel): keys <c>vision_model.*</c>. Vision-language models such as LLaVA hold
/// it as <c>vision_tower</c> and read one of its hidden states rather than the pooled output.
/// </summary>
public sealed class ClipVisionModel : Module<Tensor, ClipTowerOutput>
{
    private readonly ClipVisionTransformer vision_model;

    public ClipVisionModel(ClipVisionConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(ClipVisionModel))
    {
        vision_model = new ClipVisionTransformer(config, device, dtype);
        RegisterComponents();
    }

    public ClipVisionConfig Config => vision_model.Config;

    public ClipVisionTransformer VisionModel => vision_model;

    public override ClipTowerOutput forward(Tensor pixel_values) => vision_model.call(pixel_values);

    /// <inheritdoc cref="ClipVisionTransformer.HiddenState"/>
    public Tensor HiddenState(Tensor pixel_values, int index) => vision_model.HiddenState(pixel_values, index);
}
