using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training.Augmentation;

/// <summary>
/// One augmentation's random draws for a batch: whether each image gets it, and <c>amounts</c> uniform numbers in
/// [0, 1) per image for its parameters. All come from one call on the trainer's generator, so a batch's draws depend
/// only on the generator's state and on which augmentations are on.
/// </summary>
internal sealed class PerImageDraw
{
    private readonly float[] uniforms;
    private readonly int width;

    private PerImageDraw(float[] uniforms, int width, bool[] applied)
    {
        this.uniforms = uniforms;
        this.width = width;
        Applied = applied;
    }

    public bool[] Applied { get; }

    public bool Any => Applied.Contains(true);

    public static PerImageDraw Take(Generator generator, int images, RandomAugmentation augmentation, int amounts)
    {
        var width = 1 + amounts;
        using var draws = torch.rand([images, width], generator: generator);
        var uniforms = draws.data<float>().ToArray();
        var applied = Enumerable.Range(0, images).Select(i => uniforms[i * width] < augmentation.Probability).ToArray();
        return new PerImageDraw(uniforms, width, applied);
    }

    /// <summary>The <paramref name="k"/>-th uniform number of image <paramref name="image"/>.</summary>
    public float Amount(int image, int k) => uniforms[(image * width) + 1 + k];

    /// <summary>[n, 1, 1, 1] per-image values for broadcasting: <paramref name="value"/> where applied, else <paramref name="otherwise"/>.</summary>
    public Tensor PerImage(Func<int, float> value, float otherwise, Tensor like)
    {
        var values = Enumerable.Range(0, Applied.Length).Select(i => Applied[i] ? value(i) : otherwise).ToArray();
        return torch.tensor(values, [Applied.Length, 1, 1, 1], dtype: like.dtype, device: like.device);
    }

    /// <summary>[n, 1, 1, 1] boolean mask of the images that satisfy <paramref name="predicate"/> and got the augmentation.</summary>
    public Tensor Mask(Func<int, bool> predicate, Tensor like)
    {
        var values = Enumerable.Range(0, Applied.Length).Select(i => Applied[i] && predicate(i)).ToArray();
        return torch.tensor(values, [Applied.Length, 1, 1, 1], device: like.device);
    }
}
