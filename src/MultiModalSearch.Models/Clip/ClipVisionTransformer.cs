using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MultiModalSearch.Models.Clip;

/// <summary>The image tower (CLIPVisionTransformer); keys <c>vision_model.*</c>.</summary>
public sealed class ClipVisionTransformer : Module<Tensor, ClipTowerOutput>
{
    private readonly ClipVisionEmbeddings embeddings;
    private readonly LayerNorm pre_layrnorm; // sic: the checkpoints' spelling
    private readonly ClipEncoder encoder;
    private readonly LayerNorm post_layernorm;

    public ClipVisionTransformer(ClipVisionConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(ClipVisionTransformer))
    {
        Config = config;
        embeddings = new ClipVisionEmbeddings(config, device, dtype);
        pre_layrnorm = LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        encoder = new ClipEncoder(config, causal: false, device, dtype);
        post_layernorm = LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        RegisterComponents();
    }

    public ClipVisionConfig Config { get; }

    public override ClipTowerOutput forward(Tensor pixel_values)
    {
        using var scope = NewDisposeScope();
        var hidden_states = embeddings.call(pixel_values);
        hidden_states = pre_layrnorm.call(hidden_states);
        hidden_states = encoder.call(hidden_states);
        // The class token summarises the image.
        var pooled = post_layernorm.call(hidden_states.select(1, 0));
        return new ClipTowerOutput(hidden_states.MoveToOuterDisposeScope(), pooled.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Hugging Face's <c>hidden_states[index]</c> of the vision tower, [batch, 1 + patches, width]: index 0 is
    /// pre_layrnorm(embeddings), i the output of encoder layer i-1, negative indices count from the end as in Python
    /// (-1 the last layer's output). post_layernorm is never applied; only the layers up to the index run.
    /// </summary>
    public Tensor HiddenState(Tensor pixel_values, int index)
    {
        var count = encoder.Count + 1;
        var resolved = index < 0 ? index + count : index;
        if (resolved < 0 || resolved >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the vision tower has {count} hidden states (embeddings and {encoder.Count} layers)");
        }

        using var scope = NewDisposeScope();
        var hidden_states = embeddings.call(pixel_values);
        hidden_states = pre_layrnorm.call(hidden_states);
        return encoder.RunLayers(hidden_states, resolved).MoveToOuterDisposeScope();
    }

    /// <summary>Only the pooled state: skips keeping every token alive when the caller wants embeddings.</summary>
    public Tensor Pool(Tensor pixel_values)
    {
        using var scope = NewDisposeScope();
        var hidden_states = embeddings.call(pixel_values);
        hidden_states = pre_layrnorm.call(hidden_states);
        hidden_states = encoder.call(hidden_states);
        return post_layernorm.call(hidden_states.select(1, 0)).MoveToOuterDisposeScope();
    }
}
