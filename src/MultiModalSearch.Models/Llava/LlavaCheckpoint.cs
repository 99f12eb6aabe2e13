using MultiModalSearch.Models.Checkpoints;

namespace MultiModalSearch.Models.Llava;

/// <summary>
/// LLaVA's weights in either key layout. Our modules follow the legacy llava-hf names (<c>vision_tower.*</c>,
/// <c>multi_modal_projector.*</c>, <c>language_model.model.*</c>, <c>language_model.lm_head.*</c>); checkpoints saved by
/// newer transformers (<c>model.vision_tower.*</c>, <c>model.multi_modal_projector.*</c>, <c>model.language_model.*</c>,
/// <c>lm_head.*</c>) are renamed by prefix on load, the inverse of <c>_checkpoint_conversion_mapping</c>.
/// </summary>
public static class LlavaCheckpoint
{
    private static readonly (string Stored, string Module)[] NewerLayout =
    [
        ("model.vision_tower.", "vision_tower."),
        ("model.multi_modal_projector.", "multi_modal_projector."),
        ("model.language_model.", "language_model.model."),
        ("lm_head.", "language_model.lm_head."),
    ];

    public static Checkpoint Open(string directory, LlavaConfig config) =>
        Checkpoint.Open(directory, keys => ChooseKeyMap(keys, config.Text.TieWordEmbeddings));

    /// <summary>The newer layout is recognised by its <c>model.</c> prefix, which legacy checkpoints never use.</summary>
    public static bool IsNewerLayout(IEnumerable<string> storedKeys) =>
        storedKeys.Any(k => k.StartsWith("model.", StringComparison.Ordinal));

    public static ICheckpointKeyMap ChooseKeyMap(IReadOnlyCollection<string> storedKeys, bool tiedEmbeddings)
    {
        // With tied embeddings the head is the embedding table; a stored copy of it is redundant, not unexpected.
        bool IsIgnorable(string key) =>
            PrefixKeyMap.IsBuffer(key) || (tiedEmbeddings && key is "lm_head.weight" or "language_model.lm_head.weight");
        return new PrefixKeyMap(IsNewerLayout(storedKeys) ? NewerLayout : [], IsIgnorable);
    }

    /// <summary>A legacy key in the newer layout (for writing checkpoints the way current transformers saves them).</summary>
    public static string ToNewerLayout(string legacyKey)
    {
        foreach (var (stored, module) in NewerLayout)
        {
            if (legacyKey.StartsWith(module, StringComparison.Ordinal))
            {
                return stored + legacyKey[module.Length..];
            }
        }

        return legacyKey;
    }
}
