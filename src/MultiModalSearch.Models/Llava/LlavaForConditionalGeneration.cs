using MultiModalSearch.Models.Clip;
using MultiModalSearch.Models.Llama;
using TorchSharp;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Llava;

/// <summary>
/// LLaVA-1.5 (LlavaForConditionalGeneration) in the llava-hf key layout: <c>vision_tower.vision_model.*</c>,
/// <c>multi_modal_projector.*</c>, <c>language_model.model.*</c>, <c>language_model.lm_head.weight</c>. Image features
/// replace, in order, the embedding rows of the image-token positions; the decoder sees nothing else of the image.
/// </summary>
public sealed class LlavaForConditionalGeneration : Module<Tensor, Tensor?, Tensor>
{
    private readonly ClipVisionModel vision_tower;
    private readonly LlavaMultiModalProjector multi_modal_projector;
    private readonly LlamaForCausalLM language_model;

    public LlavaForConditionalGeneration(LlavaConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(LlavaForConditionalGeneration))
    {
        Config = config;
        vision_tower = new ClipVisionModel(config.Vision, device, dtype);
        multi_modal_projector = new LlavaMultiModalProjector(config, device, dtype);
        language_model = new LlamaForCausalLM(config.Text, device, dtype);
        RegisterComponents();
    }

    public LlavaConfig Config { get; }

    public ClipVisionModel VisionTower => vision_tower;

    public LlamaForCausalLM LanguageModel => language_model;

    /// <summary>The projector's input: the selected hidden state(s) of the vision tower, [images, tokens, vision_hidden * layers].</summary>
    public Tensor SelectImageFeatures(Tensor pixel_values)
    {
        using var scope = NewDisposeScope();
        // Preprocessed pixels arrive as float32 on the CPU; the tower runs in the model's dtype, where the model is.
        var weight = language_model.Model.EmbeddingWeight;
        var pixels = pixel_values.to(weight.dtype, weight.device);
        var states = new List<Tensor>();
        foreach (var layer in Config.VisionFeatureLayers)
        {
            var hidden_state = vision_tower.HiddenState(pixels, layer);
            // default: the class token carries no patch and is dropped.
            states.Add(Config.VisionFeatureSelectStrategy == "default" ? hidden_state.narrow(1, 1, hidden_state.shape[1] - 1) : hidden_state);
        }

        var selected = states.Count == 1 ? states[0] : torch.cat(states, dim: -1);
        return selected.MoveToOuterDisposeScope();
    }

    /// <summary>[images, 3, size, size] -> [images, image_tokens, text_hidden]: what replaces each image's placeholder ids.</summary>
    public Tensor GetImageFeatures(Tensor pixel_values)
    {
        using var scope = NewDisposeScope();
        return multi_modal_projector.call(SelectImageFeatures(pixel_values)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Token embeddings with the image features scattered into the image-token positions, in order. The number of
    /// image-token ids must equal the number of feature rows.
    /// </summary>
    public Tensor EmbedInputs(Tensor input_ids, Tensor? image_features)
    {
        using var scope = NewDisposeScope();
        var embeddings = language_model.Model.EmbedTokens(input_ids);
        var mask = input_ids.eq(Config.ImageTokenIndex);
        var placeholders = mask.sum().item<long>();
        var rows = image_features is null ? 0 : image_features.shape[0] * image_features.shape[1];
        if (placeholders != rows)
        {
            throw new ArgumentException(
                $"the input has {placeholders} image-token ids ({Config.ImageTokenIndex}) but the images give {rows} feature rows " +
                $"({Config.ImageSequenceLength} per image); each image needs exactly one expanded placeholder");
        }

        if (image_features is null || rows == 0)
        {
            return embeddings.MoveToOuterDisposeScope();
        }

        var features = image_features.to(embeddings.dtype, embeddings.device).reshape(-1, embeddings.shape[^1]);
        var expanded = mask.unsqueeze(-1).expand_as(embeddings);
        return embeddings.masked_scatter(expanded, features).MoveToOuterDisposeScope();
    }

    /// <summary>Logits at every position, [batch, length, vocab], without a cache (training, scoring).</summary>
    public override Tensor forward(Tensor input_ids, Tensor? pixel_values)
    {
        using var scope = NewDisposeScope();
        var features = pixel_values is null ? null : GetImageFeatures(pixel_values);
        return language_model.call(EmbedInputs(input_ids, features), null).MoveToOuterDisposeScope();
    }
}
