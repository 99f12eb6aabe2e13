namespace MultiModalSearch.Training.Optimization;

/// <summary>
/// Which parameters are decayed. As CLIP/open_clip: gains, biases, embeddings and the temperature are not, because
/// shrinking them towards zero fights LayerNorm's scale and the learned token/position table instead of regularising.
/// </summary>
public static class WeightDecayPolicy
{
    private static readonly string[] ExemptParts =
        ["layer_norm", "layernorm", "layrnorm", "token_embedding", "position_embedding", "class_embedding", "logit_scale"];

    public static bool Decays(string name, long dimensions) =>
        dimensions >= 2 && !name.EndsWith(".bias", StringComparison.Ordinal) && !ExemptParts.Any(name.Contains);
}
