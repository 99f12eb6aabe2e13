using MultiModalSearch.Models.Bert;
using MultiModalSearch.Models.Clip;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.ChineseClip;

/// <summary>
/// Chinese-CLIP (ChineseCLIPModel): a BERT text tower pooled at its [CLS] row (no pooler), the CLIP vision tower, two
/// projections into one space and a learned temperature; keys <c>text_model.*</c>, <c>vision_model.*</c>,
/// <c>text_projection.weight</c>, <c>visual_projection.weight</c>, <c>logit_scale</c>.
/// </summary>
public sealed class ChineseClipModel : Module
{
    private readonly BertModel text_model;
    private readonly ClipVisionTransformer vision_model;
    private readonly Linear visual_projection;
    private readonly Linear text_projection;
    private readonly Parameter logit_scale;

    public ChineseClipModel(ChineseClipConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(ChineseClipModel))
    {
        Config = config;
        text_model = new BertModel(config.Text, addPoolingLayer: false, device, dtype);
        vision_model = new ClipVisionTransformer(config.Vision, device, dtype);
        visual_projection = Linear(config.Vision.HiddenSize, config.ProjectionDim, hasBias: false, device: device, dtype: dtype);
        text_projection = Linear(config.Text.HiddenSize, config.ProjectionDim, hasBias: false, device: device, dtype: dtype);
        logit_scale = new Parameter(torch.tensor((float)config.LogitScaleInitValue, dtype ?? ScalarType.Float32, device));
        RegisterComponents();
    }

    public ChineseClipConfig Config { get; }

    public BertModel TextModel => text_model;

    public ClipVisionTransformer VisionModel => vision_model;

    /// <summary>Projected, not normalised, image features: [batch, projection_dim].</summary>
    public Tensor GetImageFeatures(Tensor pixel_values)
    {
        using var scope = NewDisposeScope();
        return visual_projection.call(vision_model.Pool(pixel_values)).MoveToOuterDisposeScope();
    }

    /// <summary>Projected, not normalised, text features from the [CLS] row: [batch, projection_dim].</summary>
    public Tensor GetTextFeatures(Tensor input_ids, Tensor attention_mask, Tensor token_type_ids)
    {
        using var scope = NewDisposeScope();
        var last_hidden_state = text_model.call(input_ids, attention_mask, token_type_ids);
        return text_projection.call(last_hidden_state.select(1, 0)).MoveToOuterDisposeScope();
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
