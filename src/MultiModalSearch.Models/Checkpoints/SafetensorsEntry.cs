namespace MultiModalSearch.Models.Checkpoints;

/// <summary>One tensor's description in a safetensors header; offsets are relative to the end of the header.</summary>
public sealed record SafetensorsEntry(string Name, string DType, long[] Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
