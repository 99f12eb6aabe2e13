using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Checkpoints;

/// <summary>A stored tensor, and how to turn it into one parameter of the model.</summary>
public sealed record CheckpointTensor(SafetensorsFile File, SafetensorsEntry Entry, TensorTransform Transform)
{
    public long[] TargetShape => Transform.Apply(Entry.Shape);

    public string Describe() => $"{Entry.Name} {Entry.DType}{Entry.ShapeText} in {System.IO.Path.GetFileName(File.Path)}";

    /// <summary>
    /// Copies the stored values into <paramref name="destination"/>, converting dtype; one temporary at most. The bytes
    /// read are then released from the resident set (see <see cref="SafetensorsFile.Release"/>).
    /// </summary>
    public void CopyTo(Tensor destination)
    {
        var bytes = File.GetBytes(Entry);
        int offset = 0;
        if (Transform.Kind == TensorTransformKind.Chunk)
        {
            // Row blocks of a row-major tensor are contiguous: read just this block's bytes.
            var blockBytes = bytes.Length / Transform.ChunkCount;
            offset = Transform.ChunkIndex * blockBytes;
            bytes = bytes.Slice(offset, blockBytes);
        }

        CopyTo(bytes, destination);
        File.Release(Entry, offset, bytes.Length);
    }

    private void CopyTo(ReadOnlySpan<byte> bytes, Tensor destination)
    {
        var dtype = SafetensorsDType.ToScalarType(Entry.DType, File.Path);
        if (Transform.Kind != TensorTransformKind.Transpose && dtype == destination.dtype && destination.device_type == DeviceType.CPU && destination.is_contiguous())
        {
            bytes.CopyTo(destination.bytes);
            return;
        }

        var storedShape = Transform.Kind == TensorTransformKind.Transpose ? Entry.Shape : TargetShape;
        using var stored = torch.empty(storedShape, dtype);
        bytes.CopyTo(stored.bytes);
        using var source = Transform.Kind == TensorTransformKind.Transpose ? stored.t() : stored.alias();
        destination.copy_(source);
    }
}
