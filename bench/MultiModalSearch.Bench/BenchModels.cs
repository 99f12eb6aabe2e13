using MultiModalSearch.Models.Clip;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;
using TorchSharp;

namespace MultiModalSearch.Bench;

/// <summary>Random-weight models of a published architecture: the same weights in every copy, whatever the dtype.</summary>
internal static class BenchModels
{
    public static ClipEmbedder Embedder(ClipConfig config, ComputeOptions compute)
    {
        torch.manual_seed(20261123);
        var model = new ClipModel(config);
        model.to(compute.DType).to(compute.Device);
        model.eval();
        return new ClipEmbedder(model, compute);
    }

    /// <summary>JPEG files under a folder, sorted, repeated until there are <paramref name="count"/> (as the Python baseline does).</summary>
    public static List<string> Photos(string directory, int count)
    {
        var files = Directory.EnumerateFiles(directory, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new InvalidOperationException($"no JPEG files under {directory}; run bench/collect-photos.sh");
        }

        return Enumerable.Repeat(files, (count / files.Count) + 1).SelectMany(f => f).Take(count).ToList();
    }
}
