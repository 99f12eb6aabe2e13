using MultiModalSearch.Imaging;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Indexing;

/// <summary>The indexer's pooled file reads: exactly the file's bytes, limits enforced, and no use after hand-back.</summary>
public sealed class FileContentTests : IDisposable
{
    private readonly TemporaryDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(4097)]
    [InlineData(3_000_001)]
    public void HoldsExactlyTheFilesBytesThoughThePooledBufferIsLarger(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var path = dir.File("photo.jpg");
        File.WriteAllBytes(path, bytes);

        using var content = FileContent.Read(path, long.MaxValue);

        Assert.Equal(length, content.Length);
        Assert.True(content.Span.SequenceEqual(bytes));
    }

    [Fact]
    public void ABufferHandedBackCannotBeReadAgain()
    {
        var path = dir.File("photo.jpg");
        File.WriteAllBytes(path, [1, 2, 3]);
        var content = FileContent.Read(path, long.MaxValue);

        content.Dispose();
        content.Dispose(); // twice is harmless: the buffer goes back to the pool once

        Assert.Throws<ObjectDisposedException>(() => content.Span.Length);
    }

    [Fact]
    public void EmptyMissingAndOversizedFilesAreRefusedWithTheirReason()
    {
        var empty = dir.File("empty.jpg");
        File.WriteAllBytes(empty, []);
        var big = dir.File("big.jpg");
        File.WriteAllBytes(big, new byte[2048]);

        Assert.Contains("empty", Assert.Throws<ImageDecodeException>(() => FileContent.Read(empty, 1024)).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.Throws<ImageDecodeException>(() => FileContent.Read(dir.File("gone.jpg"), 1024)).Message, StringComparison.Ordinal);
        Assert.Contains("MaxFileBytes", Assert.Throws<ImageDecodeException>(() => FileContent.Read(big, 1024)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileTooBigForOneBufferIsRefusedEvenUnderAHigherLimit()
    {
        var path = dir.File("huge.jpg");
        using (var file = File.Create(path))
        {
            file.SetLength((long)Array.MaxLength + 1); // sparse: no disk space used
        }

        var e = Assert.Throws<ImageDecodeException>(() => FileContent.Read(path, long.MaxValue));
        Assert.Contains("more than one buffer can hold", e.Message, StringComparison.Ordinal);
    }
}
