using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training;

/// <summary>
/// Random translation by up to N pixels with edge replication: the cheapest augmentation that stops a small vision
/// tower from memorising exact pixel positions. Draws from the trainer's own generator (saved in checkpoints), not the
/// global one, which anything else in the process may consume.
/// </summary>
internal static class ShiftAugmentation
{
    public static Tensor Apply(Tensor images, int maxShift, Generator generator)
    {
        if (maxShift <= 0)
        {
            return images.alias();
        }

        using var scope = torch.NewDisposeScope();
        var size = images.shape[^1];
        var padded = nn.functional.pad(images, [maxShift, maxShift, maxShift, maxShift], PaddingModes.Replicate);
        var offsets = torch.randint(0, (2 * maxShift) + 1, [images.shape[0], 2], dtype: ScalarType.Int64, generator: generator).data<long>().ToArray();
        var shifted = Enumerable.Range(0, (int)images.shape[0])
            .Select(i => padded[i].narrow(1, offsets[2 * i], size).narrow(2, offsets[(2 * i) + 1], size))
            .ToList();
        return torch.stack(shifted).MoveToOuterDisposeScope();
    }
}
