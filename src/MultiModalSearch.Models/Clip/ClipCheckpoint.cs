using MultiModalSearch.Models.Checkpoints;

namespace MultiModalSearch.Models.Clip;

/// <summary>
/// CLIP's weights: Hugging Face <c>model.safetensors</c> (single or sharded), or OpenAI/OpenCLIP
/// <c>open_clip_model.safetensors</c>, whose keys <see cref="OpenAiClipKeyMap"/> maps onto ours.
/// </summary>
public static class ClipCheckpoint
{
    public const string OpenClipWeights = "open_clip_model.safetensors";

    public static Checkpoint Open(string directory) => Checkpoint.Open(directory, ChooseKeyMap, [OpenClipWeights]);

    /// <summary>The OpenAI layout is recognised by its keys, whatever the file is called.</summary>
    public static ICheckpointKeyMap ChooseKeyMap(IReadOnlyCollection<string> storedKeys) =>
        OpenAiClipKeyMap.IsOpenAiLayout(storedKeys) ? OpenAiClipKeyMap.Instance : PrefixKeyMap.Identity;
}
