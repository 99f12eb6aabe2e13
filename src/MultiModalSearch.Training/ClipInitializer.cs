using MultiModalSearch.Models.Clip;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training;

/// <summary>
/// Hugging Face's CLIPPreTrainedModel._init_weights (initializer_factor 1): small normal embeddings, depth-scaled
/// attention/MLP weights, zero biases, unit LayerNorm gains. The TorchSharp defaults (Kaiming-uniform) train
/// noticeably worse from scratch.
/// </summary>
public static class ClipInitializer
{
    public static void Initialize(ClipModel model, double initializerRange = 0.02)
    {
        using var noGrad = torch.no_grad();
        var config = model.Config;
        foreach (var (name, parameter) in model.named_parameters())
        {
            Initialize(name, parameter, config, initializerRange);
        }
    }

    private static void Initialize(string name, Tensor parameter, ClipConfig config, double range)
    {
        if (name == "logit_scale")
        {
            parameter.fill_(config.LogitScaleInitValue);
            return;
        }

        if (name.EndsWith(".bias", StringComparison.Ordinal))
        {
            parameter.zero_();
            return;
        }

        if (name.Contains("layer_norm") || name.Contains("layrnorm") || name.Contains("layernorm"))
        {
            parameter.fill_(1.0);
            return;
        }

        nn.init.normal_(parameter, 0, StandardDeviation(name, config, range));
    }

    private static double StandardDeviation(string name, ClipConfig config, double range)
    {
        ClipEncoderConfig tower = name.StartsWith("vision_model", StringComparison.Ordinal) ? config.Vision : config.Text;
        var width = tower.HiddenSize;
        var depthScale = Math.Pow(2.0 * tower.NumHiddenLayers, -0.5);
        return name switch
        {
            "text_projection.weight" => Math.Pow(config.Text.HiddenSize, -0.5),
            "visual_projection.weight" => Math.Pow(config.Vision.HiddenSize, -0.5),
            _ when name.EndsWith("class_embedding", StringComparison.Ordinal) => Math.Pow(width, -0.5),
            _ when name.Contains("embedding") => range,
            _ when name.Contains(".q_proj.") || name.Contains(".k_proj.") || name.Contains(".v_proj.") => Math.Pow(width, -0.5) * depthScale,
            _ when name.Contains(".out_proj.") => Math.Pow(width, -0.5),
            _ when name.Contains(".fc1.") => Math.Pow(2.0 * width, -0.5),
            _ when name.Contains(".fc2.") => Math.Pow(width, -0.5) * depthScale,
            _ => throw new InvalidOperationException($"no initialisation rule for parameter {name}"),
        };
    }
}
