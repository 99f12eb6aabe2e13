using System.Buffers.Binary;
using System.Text.Json;

namespace MultiModalSearch.Testing;

/// <summary>Test-only safetensors reader for F32 tensors (the product reader lives in Models/Checkpoints).</summary>
public static class TestSafetensors
{
    public static (float[] Data, int[] Shape) ReadF32(string path, string name)
    {
        byte[] bytes = File.ReadAllBytes(path);
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var entry = header.RootElement.GetProperty(name);
        Assert.Equal("F32", entry.GetProperty("dtype").GetString());
        int[] shape = entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        long begin = 8 + headerLength + offsets[0];
        int count = (int)((offsets[1] - offsets[0]) / 4);
        Assert.Equal(shape.Aggregate(1L, (a, b) => a * b), count);
        var data = new float[count];
        for (int i = 0; i < count; i++)
            data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)(begin + 4L * i), 4));
        return (data, shape);
    }
}
