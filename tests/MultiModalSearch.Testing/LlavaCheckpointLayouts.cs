using MultiModalSearch.Models.Checkpoints;

namespace MultiModalSearch.Testing;

/// <summary>
/// The llava-tiny checkpoint in either key layout: "legacy" is the fixture's own file (llava-hf), "newer" the same
/// tensors renamed the way current transformers saves LlavaForConditionalGeneration (model.vision_tower.*, ...).
/// </summary>
public static class LlavaCheckpointLayouts
{
    public static TemporaryDirectory Folder(string layout, bool withProcessor = false)
    {
        var directory = withProcessor ? LlavaTinyFixture.CopyModelFolder(withWeights: layout == "legacy") : LlavaTinyFixture.CopyWith(layout == "legacy" ? ["model.safetensors"] : []);
        if (layout == "newer")
        {
            WriteRenamed(directory.File("model.safetensors"), ToNewerLayout);
        }

        return directory;
    }

    /// <summary>
    /// transformers' renames, spelt out here from the fixture README rather than taken from the loader's own table, so
    /// that a wrong rule in the loader cannot write and read back its own mistake.
    /// </summary>
    public static string ToNewerLayout(string key) => key switch
    {
        _ when key.StartsWith("vision_tower.", StringComparison.Ordinal) => "model." + key,
        _ when key.StartsWith("multi_modal_projector.", StringComparison.Ordinal) => "model." + key,
        _ when key.StartsWith("language_model.model.", StringComparison.Ordinal) => "model.language_model." + key["language_model.model.".Length..],
        _ when key.StartsWith("language_model.lm_head.", StringComparison.Ordinal) => "lm_head." + key["language_model.lm_head.".Length..],
        _ => throw new ArgumentException($"unexpected legacy key {key}"),
    };

    /// <summary>The fixture's tensors under new names (a rename returning null drops the tensor).</summary>
    public static void WriteRenamed(string path, Func<string, string?> rename)
    {
        using var file = SafetensorsFile.Open(LlavaTinyFixture.ModelPath);
        var tensors = file.Entries.Keys
            .Select(k => (Name: rename(k), Key: k))
            .Where(p => p.Name is not null)
            .Select(p => KeyValuePair.Create(p.Name!, file.ReadTensor(p.Key)))
            .ToList();
        SafetensorsWriter.Write(path, tensors);
        tensors.ForEach(t => t.Value.Dispose());
    }
}
