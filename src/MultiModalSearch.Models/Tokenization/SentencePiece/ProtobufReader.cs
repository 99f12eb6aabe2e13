using System.Buffers.Binary;
using System.Text;

namespace MultiModalSearch.Models.Tokenization.SentencePiece;

/// <summary>
/// Just enough of the protobuf wire format to read a SentencePiece model: varints, 32-bit values and length-delimited
/// fields; anything else is skipped by its wire type. Truncated or malformed input throws <see cref="InvalidDataException"/>.
/// </summary>
internal ref struct ProtobufReader(ReadOnlySpan<byte> data, string source)
{
    private readonly ReadOnlySpan<byte> data = data;
    private int position;

    public readonly bool AtEnd => position >= data.Length;

    /// <summary>The next field's number and wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32).</summary>
    public (int Field, int WireType) ReadTag()
    {
        var tag = ReadVarint();
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Next(1)[0];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw Malformed("a varint longer than 10 bytes");
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarint();
        if (length > int.MaxValue)
        {
            throw Malformed($"a field of {length} bytes");
        }

        return Next((int)length);
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Next(4));

    /// <summary>int32 fields store negative values as 64-bit two's complement varints.</summary>
    public int ReadInt32() => unchecked((int)(long)ReadVarint());

    public bool ReadBool() => ReadVarint() != 0;

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                Next(8);
                break;
            case 2:
                ReadBytes();
                break;
            case 5:
                Next(4);
                break;
            default:
                throw Malformed($"wire type {wireType}");
        }
    }

    private ReadOnlySpan<byte> Next(int count)
    {
        if (count < 0 || position + count > data.Length)
        {
            throw Malformed("a field that runs past the end");
        }

        var slice = data.Slice(position, count);
        position += count;
        return slice;
    }

    private readonly InvalidDataException Malformed(string what) =>
        new($"{source} is not a SentencePiece model: {what} at byte {position}");
}
