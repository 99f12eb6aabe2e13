using System.Collections.Concurrent;
using MultiModalSearch.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training.Llava;

/// <summary>
/// Batches of images preprocessed as the LLaVA checkpoint's processor does at inference (its preprocessor_config.json,
/// Hugging Face's order), each decoded once and kept: small data sets are seen many times.
/// </summary>
internal sealed class PreprocessedImages(ImagePreprocessor preprocessor)
{
    private readonly ConcurrentDictionary<string, float[]> cache = new(StringComparer.Ordinal);

    public int ImageSize => preprocessor.Config.CropHeight;

    /// <summary>[n, 3, S, S] float32 on the CPU.</summary>
    public Tensor Load(IReadOnlyList<string> paths, CancellationToken cancellationToken = default)
    {
        var length = preprocessor.OutputLength;
        var buffer = new float[paths.Count * length];
        Parallel.For(0, paths.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            cache.GetOrAdd(paths[i], Preprocess).CopyTo(buffer.AsSpan(i * length, length)));
        return torch.tensor(buffer, [paths.Count, 3, ImageSize, ImageSize]);
    }

    private float[] Preprocess(string path)
    {
        var pixels = new float[preprocessor.OutputLength];
        preprocessor.Preprocess(path, pixels);
        return pixels;
    }
}
