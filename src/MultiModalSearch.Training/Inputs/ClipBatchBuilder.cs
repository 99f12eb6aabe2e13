using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training.Inputs;

/// <summary>
/// Builds input tensors for batches of images and captions. Decoded images are cached (up to a memory budget)
/// because decoding dominates CPU training time on small data sets that are seen many times.
/// </summary>
public sealed class ClipBatchBuilder(IClipInputEncoder encoder, long cacheBudgetBytes = 2L << 30)
{
    private readonly ConcurrentDictionary<string, float[]> images = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]> tokens = new(StringComparer.Ordinal);
    private long cachedBytes;

    public int ImageSize => encoder.ImageSize;

    public PixelNormalization Normalization => encoder.Normalization;

    /// <summary>[n, 3, S, S] float32 on the CPU.</summary>
    public Tensor Images(IReadOnlyList<string> paths, CancellationToken cancellationToken = default)
    {
        var length = 3 * ImageSize * ImageSize;
        var buffer = new float[paths.Count * length];
        Parallel.For(0, paths.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            ImageFor(paths[i]).CopyTo(buffer.AsSpan(i * length, length)));
        return torch.tensor(buffer, [paths.Count, 3, ImageSize, ImageSize]);
    }

    /// <summary>[n, longest] int64 ids padded with 0; the batch is cut to its longest caption (the causal mask makes that exact).</summary>
    public Tensor Texts(IReadOnlyList<string> captions)
    {
        var encoded = captions.Select(TokensFor).ToList();
        var longest = encoded.Max(t => t.Length);
        var ids = new long[captions.Count * longest];
        for (var i = 0; i < encoded.Count; i++)
        {
            for (var j = 0; j < encoded[i].Length; j++)
            {
                ids[(i * longest) + j] = encoded[i][j];
            }
        }

        return torch.tensor(ids, [captions.Count, longest]);
    }

    private float[] ImageFor(string path)
    {
        if (images.TryGetValue(path, out var cached))
        {
            return cached;
        }

        var pixels = new float[3 * ImageSize * ImageSize];
        encoder.LoadImage(path, pixels);
        if (Interlocked.Add(ref cachedBytes, pixels.Length * sizeof(float)) <= cacheBudgetBytes)
        {
            images[path] = pixels;
        }

        return pixels;
    }

    private int[] TokensFor(string caption) => tokens.GetOrAdd(caption, c => encoder.Tokenize(c).ToArray());
}
