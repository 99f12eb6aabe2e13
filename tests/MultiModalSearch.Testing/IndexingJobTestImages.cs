using System.Buffers.Binary;
using System.Text;
using NetVips;

namespace MultiModalSearch.Testing;

/// <summary>
/// Small generated images for indexing tests. Every seed gives different pixels (seeded noise), so different seeds are
/// different contents; the same seed and format always gives the same bytes.
/// </summary>
public static class IndexingJobTestImages
{
    public static byte[] Png(int seed, int size = 40)
    {
        using var image = Noise(seed, size);
        return image.PngsaveBuffer();
    }

    public static byte[] Jpeg(int seed, int size = 40)
    {
        using var image = Noise(seed, size);
        return image.JpegsaveBuffer(q: 90);
    }

    /// <summary>Writes <paramref name="count"/> distinct images (PNG and JPEG alternating) spread over a few sub-folders.</summary>
    public static IReadOnlyList<string> WriteArchive(string root, int count, int firstSeed = 0)
    {
        var paths = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var seed = firstSeed + i;
            var folder = Path.Combine(root, $"part{i % 4}");
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, i % 2 == 0 ? $"image-{seed:D5}.png" : $"image-{seed:D5}.jpg");
            File.WriteAllBytes(path, i % 2 == 0 ? Png(seed) : Jpeg(seed));
            paths.Add(path);
        }

        return paths;
    }

    /// <summary>A valid PNG signature and IHDR (correct CRC) claiming the given size, an empty IDAT and IEND: tiny file, huge claim.</summary>
    public static byte[] PngHeaderClaiming(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        WriteChunk(stream, "IHDR", header);
        WriteChunk(stream, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        WriteChunk(stream, "IEND", []);
        return stream.ToArray();
    }

    public static byte[] RandomBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static Image Noise(int seed, int size)
    {
        var pixels = new byte[size * size * 3];
        new Random(seed).NextBytes(pixels);
        using var raw = Image.NewFromMemory(pixels, size, size, 3, Enums.BandFormat.Uchar);
        return raw.Copy(interpretation: Enums.Interpretation.Srgb).CopyMemory();
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        stream.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typed));
        stream.Write(word);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
