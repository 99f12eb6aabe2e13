using System.Text.RegularExpressions;
using MultiModalSearch.Models.Checkpoints;

namespace MultiModalSearch.Models.Clip;

/// <summary>
/// Maps OpenAI / OpenCLIP state-dict keys onto the Hugging Face names our modules use, once, at load time.
/// Fused attention projections split into q, k, v; projections stored [in, out] are transposed.
/// </summary>
public sealed partial class OpenAiClipKeyMap : ICheckpointKeyMap
{
    public static OpenAiClipKeyMap Instance { get; } = new();

    private static readonly (string From, string To)[] BlockParts =
    [
        ("attn.out_proj.", "self_attn.out_proj."),
        ("ln_1.", "layer_norm1."),
        ("ln_2.", "layer_norm2."),
        ("mlp.c_fc.", "mlp.fc1."),
        ("mlp.c_proj.", "mlp.fc2."),
    ];

    private static readonly Dictionary<string, (string Key, TensorTransform Transform)> Fixed = new(StringComparer.Ordinal)
    {
        ["visual.conv1.weight"] = ("vision_model.embeddings.patch_embedding.weight", TensorTransform.Identity),
        ["visual.class_embedding"] = ("vision_model.embeddings.class_embedding", TensorTransform.Identity),
        ["visual.positional_embedding"] = ("vision_model.embeddings.position_embedding.weight", TensorTransform.Identity),
        ["visual.ln_pre.weight"] = ("vision_model.pre_layrnorm.weight", TensorTransform.Identity),
        ["visual.ln_pre.bias"] = ("vision_model.pre_layrnorm.bias", TensorTransform.Identity),
        ["visual.ln_post.weight"] = ("vision_model.post_layernorm.weight", TensorTransform.Identity),
        ["visual.ln_post.bias"] = ("vision_model.post_layernorm.bias", TensorTransform.Identity),
        ["visual.proj"] = ("visual_projection.weight", TensorTransform.Transpose),
        ["token_embedding.weight"] = ("text_model.embeddings.token_embedding.weight", TensorTransform.Identity),
        ["positional_embedding"] = ("text_model.embeddings.position_embedding.weight", TensorTransform.Identity),
        ["ln_final.weight"] = ("text_model.final_layer_norm.weight", TensorTransform.Identity),
        ["ln_final.bias"] = ("text_model.final_layer_norm.bias", TensorTransform.Identity),
        ["text_projection"] = ("text_projection.weight", TensorTransform.Transpose),
        ["logit_scale"] = ("logit_scale", TensorTransform.Identity),
    };

    /// <summary>True when the key set is in the OpenAI layout.</summary>
    public static bool IsOpenAiLayout(IEnumerable<string> keys) => keys.Any(k => k == "visual.conv1.weight" || k.StartsWith("visual.transformer.", StringComparison.Ordinal));

    /// <summary>Keys that carry no weights (buffers and scalars older exports kept in the state dict).</summary>
    public bool IsIgnorable(string storedKey) =>
        PrefixKeyMap.IsBuffer(storedKey) || storedKey is "attn_mask" or "input_resolution" or "context_length" or "vocab_size";

    /// <summary>The Hugging Face targets of one OpenAI key; empty when the key is unknown.</summary>
    public IReadOnlyList<(string Key, TensorTransform Transform)> Map(string storedKey)
    {
        var key = storedKey;
        if (Fixed.TryGetValue(key, out var target))
        {
            return [target];
        }

        var match = BlockKey().Match(key);
        if (!match.Success)
        {
            return [];
        }

        var prefix = (match.Groups["tower"].Value == "visual." ? "vision_model" : "text_model") + $".encoder.layers.{match.Groups["index"].Value}.";
        var rest = match.Groups["rest"].Value;
        if (rest is "attn.in_proj_weight" or "attn.in_proj_bias")
        {
            var suffix = rest.EndsWith("weight", StringComparison.Ordinal) ? "weight" : "bias";
            return [(prefix + "self_attn.q_proj." + suffix, TensorTransform.Chunk(0, 3)),
                    (prefix + "self_attn.k_proj." + suffix, TensorTransform.Chunk(1, 3)),
                    (prefix + "self_attn.v_proj." + suffix, TensorTransform.Chunk(2, 3))];
        }

        foreach (var (from, to) in BlockParts)
        {
            if (rest.StartsWith(from, StringComparison.Ordinal))
            {
                return [(prefix + to + rest[from.Length..], TensorTransform.Identity)];
            }
        }

        return [];
    }

    [GeneratedRegex(@"^(?<tower>visual\.)?transformer\.resblocks\.(?<index>\d+)\.(?<rest>.+)$")]
    private static partial Regex BlockKey();
}
