namespace MultiModalSearch.Models.Checkpoints;

/// <summary>How a stored tensor becomes a model parameter: as is, transposed, or one of N equal row blocks.</summary>
public readonly record struct TensorTransform(TensorTransformKind Kind, int ChunkIndex = 0, int ChunkCount = 1)
{
    public static TensorTransform Identity { get; } = new(TensorTransformKind.Identity);

    public static TensorTransform Transpose { get; } = new(TensorTransformKind.Transpose);

    public static TensorTransform Chunk(int index, int count) => new(TensorTransformKind.Chunk, index, count);

    public long[] Apply(long[] shape) => Kind switch
    {
        TensorTransformKind.Transpose when shape.Length == 2 => [shape[1], shape[0]],
        TensorTransformKind.Chunk when shape.Length >= 1 && shape[0] % ChunkCount == 0 => [shape[0] / ChunkCount, .. shape[1..]],
        TensorTransformKind.Identity => shape,
        _ => throw new InvalidDataException($"cannot apply {Kind} to a tensor of shape [{string.Join(", ", shape)}]"),
    };
}

public enum TensorTransformKind
{
    Identity,
    Transpose,
    Chunk,
}
