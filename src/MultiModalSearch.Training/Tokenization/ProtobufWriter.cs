using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace MultiModalSearch.Training.Tokenization;

/// <summary>
/// Just enough of the protobuf wire format to write a SentencePiece model: varint, fixed32 float and length-delimited
/// fields, each written with its tag. The counterpart of the reader in Models/Tokenization/SentencePiece.
/// </summary>
internal sealed class ProtobufWriter
{
    private const int Varint = 0;
    private const int LengthDelimited = 2;
    private const int Fixed32 = 5;

    private readonly ArrayBufferWriter<byte> buffer = new();

    public byte[] ToArray() => buffer.WrittenSpan.ToArray();

    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        buffer.Write(value);
    }

    public void WriteMessage(int field, ProtobufWriter message) => WriteBytes(field, message.ToArray());

    public void WriteFloat(int field, float value)
    {
        WriteTag(field, Fixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        buffer.Write(bytes);
    }

    /// <summary>int32 and enum fields; a negative value is written as its 64-bit two's complement (ten bytes), as protobuf does.</summary>
    public void WriteInt32(int field, int value)
    {
        WriteTag(field, Varint);
        WriteVarint(unchecked((ulong)(long)value));
    }

    public void WriteBool(int field, bool value)
    {
        WriteTag(field, Varint);
        WriteVarint(value ? 1UL : 0UL);
    }

    private void WriteTag(int field, int wireType) => WriteVarint(((ulong)field << 3) | (uint)wireType);

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            buffer.Write([(byte)(value | 0x80)]);
            value >>= 7;
        }

        buffer.Write([(byte)value]);
    }
}
