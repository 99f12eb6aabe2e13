using MultiModalSearch.FileSystem;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.FileSystem;

public sealed class UnixFilesTests : IDisposable
{
    private static readonly byte[] NotUtf8 = [0x62, 0x61, 0x64, 0x5F, 0xFF, 0xFE, 0x2E, 0x70, 0x6E, 0x67];
    private readonly TemporaryDirectory dir = new();

    [Fact]
    public void ANameThatIsNotUtf8IsListedExactlyAndOpensFromItsListedName()
    {
        RawNames.WriteFile(dir.Path, NotUtf8, "content"u8);

        var entry = Assert.Single(UnixFiles.List(dir.Path));
        var path = Path.Combine(dir.Path, entry.Name);

        Assert.Equal(FileKind.Regular, entry.Kind);
        Assert.Equal(NotUtf8, FileNames.Encode(entry.Name));
        Assert.Equal("content"u8.ToArray(), UnixFiles.ReadAllBytes(path, 100));
        Assert.Equal(7, UnixFiles.Status(path).Size);
        Assert.Equal(path, UnixFiles.RealPath(path));
        // .NET itself cannot reach it: this is what the crawler used to lose.
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task AFifoIsRefusedWithoutBlockingAndADirectoryIsRefused()
    {
        var fifo = dir.File("pipe.jpg");
        RawNames.MakeFifo(fifo);

        var open = Task.Run(() => Assert.Throws<NotARegularFileException>(() => UnixFiles.OpenRead(fifo)));

        Assert.True(await Task.WhenAny(open, Task.Delay(TimeSpan.FromSeconds(10))) == open, "opening a FIFO blocked");
        Assert.Equal(FileKind.Fifo, (await open).Kind);
        Assert.Equal(FileKind.Fifo, UnixFiles.Status(fifo).Kind);
        Assert.Equal(FileKind.Directory, Assert.Throws<NotARegularFileException>(() => UnixFiles.OpenRead(dir.Path)).Kind);
    }

    [Fact]
    public void MissingFilesAndBrokenLinksSaySo()
    {
        var link = dir.File("dangling.jpg");
        File.CreateSymbolicLink(link, dir.File("nowhere.jpg"));

        Assert.Throws<FileNotFoundException>(() => UnixFiles.Status(dir.File("absent.jpg")));
        Assert.Null(UnixFiles.RealPath(link));
        Assert.Equal(FileKind.SymbolicLink, UnixFiles.Status(link, followLinks: false).Kind);
    }

    public void Dispose() => dir.Dispose();
}
