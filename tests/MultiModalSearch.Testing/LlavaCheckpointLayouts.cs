using MultiModalSearch.Models.Checkpoints;
using MultiModalSearch.Models.Llava;

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
            WriteRenamed(directory.File("model.safetensors"), LlavaCheckpoint.ToNewerLayout);
        }

        return directory;
    }

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
