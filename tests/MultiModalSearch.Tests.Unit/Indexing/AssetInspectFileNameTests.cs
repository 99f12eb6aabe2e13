using MultiModalSearch.Abstractions.Assets;
using MultiModalSearch.Core.Inspection;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Indexing;

public sealed class AssetInspectFileNameTests
{
    [Theory]
    [InlineData("/photos/IMG_1234.JPG", "IMG 1234")]
    [InlineData("DSC01234.jpg", "DSC 01234")]
    [InlineData("/a/b/summer-beach_trip.2019.jpeg", "summer beach trip 2019")]
    [InlineData("myHolidayPhoto.png", "my Holiday Photo")]
    [InlineData("HDRSunsetView.webp", "HDR Sunset View")]
    [InlineData("  __Paris--  eiffel__.jpg", "Paris eiffel")]
    [InlineData("Grüße_ÄrgerNix.jpg", "Grüße Ärger Nix")]
    [InlineData("noextension", "noextension")]
    [InlineData(".hidden", "hidden")]
    [InlineData("photo.tar.gz", "photo tar")]
    public void SplitsNameIntoWords(string path, string expected)
    {
        var text = AssetInspector.FileNameText(path);
        Assert.Equal(TextItemKind.Filename, text.Kind);
        Assert.Equal(expected, text.Text);
    }
}
