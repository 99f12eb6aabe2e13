using System.Text;
using MultiModalSearch.Abstractions.Assets;
using MultiModalSearch.Core.Inspection;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Indexing;

public sealed class AssetInspectSidecarTests : IDisposable
{
    private readonly TemporaryDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private string Image => dir.File("photo.jpg");

    private void Write(string name, string content) => File.WriteAllText(dir.File(name), content, new UTF8Encoding(true));

    private static AssetText Caption(string text) => new(TextItemKind.Caption, text);

    [Fact]
    public void NoSidecarsIsEmpty() => Assert.Empty(AssetInspector.SidecarTexts(Image));

    [Theory]
    [InlineData("photo.txt")]
    [InlineData("photo.jpg.txt")]
    public void TextSidecarEitherNaming(string name)
    {
        Write(name, "\n  A heron in the reeds,\nmorning fog.  \n");
        Assert.Equal([Caption("A heron in the reeds,\nmorning fog.")], AssetInspector.SidecarTexts(Image));
    }

    [Theory]
    [InlineData("photo.json")]
    [InlineData("photo.jpg.json")]
    public void JsonSidecarEitherNaming(string name)
    {
        Write(name, """{"caption": "Old town square", "title": "Prague", "captions": ["Old town square", "Tourists near the clock"], "other": 1}""");
        Assert.Equal(
            [Caption("Old town square"), Caption("Prague"), Caption("Tourists near the clock")],
            AssetInspector.SidecarTexts(Image));
    }

    [Fact]
    public void GoogleTakeoutJsonSkipsFileNameTitle()
    {
        Write("photo.jpg.json", """{"title": "photo.jpg", "description": "Grandma's 80th birthday", "photoTakenTime": {"timestamp": "1"}}""");
        Assert.Equal([Caption("Grandma's 80th birthday")], AssetInspector.SidecarTexts(Image));
    }

    [Fact]
    public void XmpSidecarsAreDescriptions()
    {
        Write("photo.xmp", TestJpeg.Xmp("Snow on the pass", "Alps"));
        Write("photo.jpg.xmp", TestJpeg.Xmp("Snow on the pass", "Second file"));
        Assert.Equal(
            [
                new AssetText(TextItemKind.Description, "Snow on the pass"),
                new AssetText(TextItemKind.Description, "Alps"),
                new AssetText(TextItemKind.Description, "Second file"),
            ],
            AssetInspector.SidecarTexts(Image));
    }

    [Fact]
    public void AllKindsTogetherInOrder()
    {
        Write("photo.txt", "from txt");
        Write("photo.json", """{"description": "from json"}""");
        Write("photo.xmp", TestJpeg.Xmp("from xmp"));
        Assert.Equal(
            [Caption("from txt"), Caption("from json"), new AssetText(TextItemKind.Description, "from xmp")],
            AssetInspector.SidecarTexts(Image));
    }

    [Fact]
    public void OversizedSidecarIsIgnored()
    {
        Write("photo.txt", new string('a', 64 * 1024 + 1));
        Write("photo.json", $$"""{"caption": "{{new string('b', 70_000)}}"}""");
        Write("photo.jpg.txt", "small one");
        Assert.Equal([Caption("small one")], AssetInspector.SidecarTexts(Image));
    }

    [Theory]
    [InlineData("photo.json", "{ not json")]
    [InlineData("photo.json", "[\"an array, not an object\"]")]
    [InlineData("photo.json", "{\"caption\": 42, \"captions\": \"nope\"}")]
    [InlineData("photo.xmp", "<x:xmpmeta><broken")]
    [InlineData("photo.xmp", "plain text")]
    [InlineData("photo.txt", "   \n\t ")]
    public void BadSidecarsAreIgnored(string name, string content)
    {
        Write(name, content);
        Assert.Empty(AssetInspector.SidecarTexts(Image));
    }

    [Fact]
    public void BinaryTextSidecarIsIgnored()
    {
        File.WriteAllBytes(dir.File("photo.txt"), [0x41, 0x00, 0x42, 0xFF]);
        Assert.Empty(AssetInspector.SidecarTexts(Image));
    }

    [Fact]
    public void UnreadableSidecarLocationsNeverThrow()
    {
        Directory.CreateDirectory(dir.File("photo.txt")); // a folder where a file is expected
        Assert.Empty(AssetInspector.SidecarTexts(Image));
        Assert.Empty(AssetInspector.SidecarTexts(dir.File("missing/dir/x.jpg")));
    }
}
