using System.Runtime.InteropServices;
using MultiModalSearch.Models.Clip;
using MultiModalSearch.Models.Compute;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Inference;

/// <summary>
/// Runs a loaded <see cref="ClipModel"/> on batches and returns L2-normalised embeddings as plain arrays.
/// Not thread-safe: one encoder thread owns it (the pipeline's), which is also what keeps a GPU busy best.
/// </summary>
public sealed class ClipEmbedder : IImageEncoder
{
    private readonly ClipModel model;

    public ClipEmbedder(ClipModel model, ComputeOptions compute)
    {
        this.model = model;
        Compute = compute;
    }

    public ComputeOptions Compute { get; }

    public ClipConfig Config => model.Config;

    public int Dimension => model.Config.ProjectionDim;

    public int ImageSize => model.Config.Vision.ImageSize;

    public int ContextLength => model.Config.Text.MaxPositionEmbeddings;

    public ClipModel Model => model;

    /// <summary>Embeds <paramref name="count"/> images from a host batch [n, 3, S, S] (float32, possibly pinned) into <paramref name="destination"/>.</summary>
    public void EmbedImages(Tensor hostPixels, int count, Span<float> destination)
    {
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var batch = count == hostPixels.shape[0] ? hostPixels : hostPixels.narrow(0, 0, count);
        // Move, then convert on the device: the GPU converts for free, the CPU would spend a pass over the batch.
        var pixels = batch.to(Compute.Device, non_blocking: Compute.IsCuda).to(Compute.DType);
        CopyNormalised(model.GetImageFeatures(pixels), destination);
    }

    /// <summary>Embeds token ids [n, L] (int64, padded with anything after each end token) into <paramref name="destination"/>.</summary>
    public void EmbedTokens(Tensor hostIds, Span<float> destination)
    {
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var ids = hostIds.to(Compute.Device, non_blocking: Compute.IsCuda);
        CopyNormalised(model.GetTextFeatures(ids), destination);
    }

    public void Dispose() => model.Dispose();

    private static void CopyNormalised(Tensor features, Span<float> destination)
    {
        // Normalise in float32 whatever the compute dtype, so stored vectors are unit length to float precision.
        using var normalised = nn.functional.normalize(features.to(ScalarType.Float32), dim: -1).cpu().contiguous();
        MemoryMarshal.Cast<byte, float>(normalised.bytes).CopyTo(destination);
    }
}
