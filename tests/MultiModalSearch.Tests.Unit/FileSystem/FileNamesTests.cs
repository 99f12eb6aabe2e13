using System.Text;
using MultiModalSearch.FileSystem;

namespace MultiModalSearch.Tests.FileSystem;

public sealed class FileNamesTests
{
    public static TheoryData<byte[]> Names => new()
    {
        Encoding.UTF8.GetBytes("plain.jpg"),
        Encoding.UTF8.GetBytes("été 🐱 写真.png"),
        Encoding.UTF8.GetBytes(@"bad_\xff\xfe.png"), // backslashes: valid UTF-8 that looks like the display form
        new byte[] { 0x62, 0x61, 0x64, 0x5F, 0xFF, 0xFE, 0x2E, 0x70, 0x6E, 0x67 }, // bad_<FF><FE>.png: not UTF-8
        new byte[] { 0x63, 0x61, 0x66, 0xE9, 0x2E, 0x6A, 0x70, 0x67 }, // café.jpg in Latin-1
        new byte[] { 0xF0, 0x9F, 0x90, 0xB1, 0xC3 }, // a valid emoji, then a cut-off sequence
        new byte[] { 0xED, 0xA0, 0x80 }, // an encoded surrogate (invalid in UTF-8)
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryNameRoundTripsToTheSameBytes(byte[] name)
    {
        var decoded = FileNames.Decode(name);

        Assert.Equal(name, FileNames.Encode(decoded));
        Assert.Equal(!System.Text.Unicode.Utf8.IsValid(name), FileNames.HasEscapes(decoded));
    }

    [Fact]
    public void TwoNamesThatDifferOnlyInTheirInvalidBytesStayApart()
    {
        var a = FileNames.Decode([0x61, 0xFF]);
        var b = FileNames.Decode([0x61, 0xFE]);

        Assert.NotEqual(a, b);
        Assert.Equal(@"a\xff", FileNames.Display(a));
        Assert.Equal(@"a\xfe", FileNames.Display(b));
    }

    [Fact]
    public void ValidNamesAreShownAsTheyAreAndARealCharacterIsNeverTakenForAnEscape()
    {
        // U+10080 is the surrogate pair D800 DC80: its second half is in the escape range but is not an escape.
        var name = "x\U00010080y";
        Assert.False(FileNames.HasEscapes(name));
        Assert.Equal(name, FileNames.Display(name));
        Assert.Equal(Encoding.UTF8.GetBytes(name), FileNames.Encode(name));
    }
}
