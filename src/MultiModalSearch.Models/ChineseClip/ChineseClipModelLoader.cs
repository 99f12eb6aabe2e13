using MultiModalSearch.Models.Bert;
using MultiModalSearch.Models.Checkpoints;
using MultiModalSearch.Models.Compute;

namespace MultiModalSearch.Models.ChineseClip;

/// <summary>Builds a <see cref="ChineseClipModel"/> from a checkpoint folder; its keys are stored under our own names.</summary>
public static class ChineseClipModelLoader
{
    public static ChineseClipModel Load(string directory, ComputeOptions? compute = null)
    {
        compute ??= ComputeOptions.Cpu;
        var config = ChineseClipConfig.Load(Path.Combine(directory, "config.json"));
        using var checkpoint = Checkpoint.Open(directory, _ => PrefixKeyMap.Identity);
        return BertModelLoader.LoadInto(new ChineseClipModel(config, compute.Device, compute.DType), checkpoint, compute);
    }
}
