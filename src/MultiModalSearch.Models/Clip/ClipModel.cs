using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MultiModalSearch.Models.Clip;

/// <summary>The CLIP dual encoder (CLIPModel): two towers, two projections into one space, and a learned temperature.</summary>
public sealed class ClipModel : Module
{
    private readonly ClipTextTransformer text_model;
    private readonly ClipVisionTransformer vision_model;
    private readonly Linear visual_projection;
    private readonly Linear text_projection;
    private readonly Parameter logit_scale;

    public ClipModel(ClipConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(ClipModel))
    {
        Config = config;
        text_model = new ClipTextTransformer(config.Text, device, dtype);
        vision_model = new ClipVisionTransformer(config.Vision, device, dtype);
        visual_projection = Linear(config.Vision.HiddenSize, config.ProjectionDim, hasBias: false, device: device, dtype: dtype);
        text_projection = Linear(config.Text.HiddenSize, config.ProjectionDim, hasBias: false, device: device, dtype: dtype);
        // A 0-d float32 tensor unless told otherwise (torch.tensor(float) with a null dtype would give float64).
        logit_scale = new Parameter(torch.tensor((float)config.LogitScaleInitValue, dtype ?? ScalarType.Float32, device));
        RegisterComponents();
    }

    public ClipConfig Config { get; }

    public ClipTextTransformer TextModel => text_model;

    public ClipVisionTransformer VisionModel => vision_model;

    public Parameter LogitScale => logit_scale;

    /// <summary>Projected, not normalised, image features: [batch, projection_dim].</summary>
    public Tensor GetImageFeatures(Tensor pixel_values)
    {
        using var scope = NewDisposeScope();
        return visual_projection.call(vision_model.Pool(pixel_values)).MoveToOuterDisposeScope();
    }

    /// <summary>Projected, not normalised, text features: [batch, projection_dim].</summary>
    public Tensor GetTextFeatures(Tensor input_ids)
    {
        using var scope = NewDisposeScope();
        return text_projection.call(text_model.Pool(input_ids)).MoveToOuterDisposeScope();
    }

    /// <summary>[images, texts] similarity logits: exp(logit_scale) times the cosine of the normalised features.</summary>
    public Tensor LogitsPerImage(Tensor imageFeatures, Tensor textFeatures)
    {
        using var scope = NewDisposeScope();
        var images = nn.functional.normalize(imageFeatures, dim: -1);
        var texts = nn.functional.normalize(textFeatures, dim: -1);
        return (images.matmul(texts.t()) * logit_scale.exp()).MoveToOuterDisposeScope();
    }
}
