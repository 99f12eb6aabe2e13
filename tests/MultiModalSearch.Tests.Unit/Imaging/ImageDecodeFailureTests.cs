using System.Buffers.Binary;
using System.Text;
using MultiModalSearch.Imaging;
using MultiModalSearch.Testing;
using static MultiModalSearch.Testing.ImagingTestSupport;

namespace MultiModalSearch.Tests.Imaging;

public sealed class ImageDecodeFailureTests : IDisposable
{
    private readonly TemporaryDirectory dir = new();
    private readonly ImagePreprocessor pre = CreatePreprocessor();

    public void Dispose() => dir.Dispose();

    private string Write(string name, byte[] bytes)
    {
        string path = dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private void AssertRejected(string path, string because)
    {
        var e = Assert.Throws<ImageDecodeException>(() => pre.Preprocess(path));
        Assert.Contains(Path.GetFileName(path), e.Message, StringComparison.Ordinal);
        Assert.Contains(because, e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(path, e.ImageName);
    }

    [Fact]
    public void ZeroByteFile() => AssertRejected(Write("empty.jpg", []), "empty");

    [Fact]
    public void MissingFile() => AssertRejected(dir.File("missing.png"), "does not exist");

    [Fact]
    public void TextNamedJpg() => AssertRejected(Write("notes.jpg", Encoding.UTF8.GetBytes("this is not an image\n")), "cannot decode");

    [Fact]
    public void RandomBytes()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        AssertRejected(Write("noise.png", bytes), "cannot decode");
        Assert.Throws<ImageDecodeException>(() => pre.Preprocess(bytes, "noise-upload"));
        Assert.Throws<ImageDecodeException>(() => pre.Preprocess(ReadOnlySpan<byte>.Empty, "empty-upload"));
    }

    [Theory]
    [InlineData("jpg")]
    [InlineData("png")]
    public void TruncatedFiles(string extension)
    {
        using var pattern = Pattern(400, 300);
        byte[] full = pattern.WriteToBuffer("." + extension);
        string path = Write("cut." + extension, full[..(full.Length / 2)]);
        Assert.Throws<ImageDecodeException>(() => pre.Preprocess(path));
        Assert.Throws<ImageDecodeException>(() => pre.Preprocess(full.AsSpan(0, full.Length / 2), "cut-upload"));
    }

    [Fact]
    public void DecompressionBombIsRefusedFromTheHeader()
    {
        string path = Write("bomb.png", PngHeaderOnly(60000, 60000));
        var info = ImageInfo.Read(path);
        Assert.Equal((60000, 60000), (info.Width, info.Height));
        AssertRejected(path, "MaxPixels");
    }

    [Fact]
    public void PixelAndFileSizeLimitsAreConfigurable()
    {
        string image = Path.Combine(FixtureDir, "images", "gradient_300x200.png");
        var smallPixels = new ImagePreprocessor(pre.Config, new ImageDecodeOptions { MaxPixels = 10_000 });
        Assert.Contains("MaxPixels", Assert.Throws<ImageDecodeException>(() => smallPixels.Preprocess(image)).Message, StringComparison.Ordinal);
        var smallFiles = new ImagePreprocessor(pre.Config, new ImageDecodeOptions { MaxFileBytes = 100 });
        Assert.Contains("MaxFileBytes", Assert.Throws<ImageDecodeException>(() => smallFiles.Preprocess(image)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongDestinationSizeIsAnArgumentError()
    {
        string image = Path.Combine(FixtureDir, "images", "shapes_64x64.png");
        Assert.Throws<ArgumentException>(() => pre.Preprocess(image, new float[10]));
    }

    /// <summary>A valid PNG signature + IHDR claiming the size, an empty IDAT and IEND.</summary>
    private static byte[] PngHeaderOnly(int width, int height)
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        WriteChunk(ms, "IHDR", ihdr);
        WriteChunk(ms, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        WriteChunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void WriteChunk(Stream s, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        s.Write(word);
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        s.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typed));
        s.Write(word);
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
