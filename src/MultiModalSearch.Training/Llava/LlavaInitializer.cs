using MultiModalSearch.Models.Clip;
using MultiModalSearch.Models.Llava;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training.Llava;

/// <summary>
/// A LLaVA model ready to train: projector and decoder initialised as transformers' LlavaPreTrainedModel._init_weights
/// does (matrices and embeddings normal with the text config's initializer_range, biases zero, norm gains one), the
/// vision tower copied from a CLIP model's <c>vision_model.*</c> weights.
/// </summary>
public static class LlavaInitializer
{
    public static void InitializeDecoderAndProjector(LlavaForConditionalGeneration model)
    {
        using var noGrad = torch.no_grad();
        var range = model.Config.Text.InitializerRange;
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.StartsWith(VisionPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (name.EndsWith(".bias", StringComparison.Ordinal))
            {
                parameter.zero_();
            }
            else if (parameter.dim() == 1)
            {
                parameter.fill_(1.0);
            }
            else
            {
                nn.init.normal_(parameter, 0, range);
            }
        }
    }

    /// <summary>Copies every vision-tower weight from <paramref name="clip"/>; the two towers must have the same keys and shapes.</summary>
    public static void CopyVisionTower(LlavaForConditionalGeneration model, ClipModel clip)
    {
        using var noGrad = torch.no_grad();
        var source = clip.named_parameters()
            .Where(p => p.name.StartsWith("vision_model.", StringComparison.Ordinal))
            .ToDictionary(p => p.name, p => (Tensor)p.parameter, StringComparer.Ordinal);
        var target = model.VisionTower.named_parameters().ToList();
        if (source.Count != target.Count || target.Any(t => !source.ContainsKey(t.name)))
        {
            var missing = target.Select(t => t.name).Where(n => !source.ContainsKey(n)).Take(3);
            throw new InvalidDataException(
                $"the CLIP model's vision tower has {source.Count} weights and the LLaVA vision tower {target.Count}; missing from CLIP: {string.Join(", ", missing)}");
        }

        foreach (var (name, parameter) in target)
        {
            var weights = source[name];
            if (!weights.shape.SequenceEqual(parameter.shape))
            {
                throw new InvalidDataException($"vision weight {name} is [{string.Join(", ", weights.shape)}] in CLIP but [{string.Join(", ", parameter.shape)}] in LLaVA");
            }

            parameter.copy_(weights);
        }
    }

    internal const string VisionPrefix = "vision_tower.";
}
