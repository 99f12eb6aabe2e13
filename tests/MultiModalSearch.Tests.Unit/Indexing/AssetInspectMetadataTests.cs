using System.Text;
using MultiModalSearch.Abstractions.Assets;
using MultiModalSearch.Core.Inspection;
using MultiModalSearch.Imaging;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Imaging;
using NetVips;

namespace MultiModalSearch.Tests.Indexing;

public sealed class AssetInspectMetadataTests
{
    private static AssetDetails Inspect(params byte[][] segments) =>
        AssetInspector.Inspect(TestJpeg.WithSegments(TestJpeg.Plain(), segments), "photo.jpg");

    [Fact]
    public void PlainJpegHasSizeAndTypeOnly()
    {
        var d = AssetInspector.Inspect(TestJpeg.Plain(120, 80), "plain.jpg");
        Assert.Equal(new AssetDetails("image/jpeg", 120, 80, 1, null, null, null, null, null, d.Texts), d);
        Assert.Empty(d.Texts);
    }

    [Fact]
    public void CameraTimeAndNorthEastGps()
    {
        var exif = new TestExif().Make("  Canon ").Model("Canon EOS 5D Mark IV\0\0")
            .DateTime("2021:01:01 00:00:00").DateTimeDigitized("2020:07:04 10:00:00").DateTimeOriginal("2020:07:04 09:30:15")
            .Gps("N", (51, 30, 26.46), "E", (7, 27, 36.0));
        var d = Inspect(exif.App1());
        Assert.Equal("Canon", d.CameraMake);
        Assert.Equal("Canon EOS 5D Mark IV", d.CameraModel);
        Assert.Equal(new DateTime(2020, 7, 4, 9, 30, 15), d.TakenAt);
        Assert.Equal(DateTimeKind.Unspecified, d.TakenAt!.Value.Kind);
        Assert.Equal(51.50735, d.GpsLatitude!.Value, 5);
        Assert.Equal(7.46, d.GpsLongitude!.Value, 5);
    }

    [Fact]
    public void SouthWestIsNegative()
    {
        var d = Inspect(new TestExif().Gps("S", (33, 52, 4.0), "W", (151, 12, 36.0)).App1());
        Assert.Equal(-(33 + 52 / 60.0 + 4 / 3600.0), d.GpsLatitude!.Value, 6);
        Assert.Equal(-(151 + 12 / 60.0 + 36 / 3600.0), d.GpsLongitude!.Value, 6);
    }

    [Fact]
    public void ZeroZeroWithoutRefsIsAbsent()
    {
        var d = Inspect(new TestExif().Gps(null, (0, 0, 0), null, (0, 0, 0)).App1());
        Assert.Null(d.GpsLatitude);
        Assert.Null(d.GpsLongitude);
    }

    [Fact]
    public void OutOfRangeGpsIsAbsent()
    {
        var d = Inspect(new TestExif().Gps("N", (95, 0, 0), "E", (10, 0, 0)).App1());
        Assert.Null(d.GpsLatitude);
        Assert.Null(d.GpsLongitude);
    }

    [Theory]
    [InlineData(null, "2019:05:06 07:08:09", "2018:01:01 00:00:00", "2019-05-06T07:08:09")]
    [InlineData(null, null, "2018:01:02 03:04:05", "2018-01-02T03:04:05")]
    [InlineData("0000:00:00 00:00:00", null, "2018:01:02 03:04:05", "2018-01-02T03:04:05")]
    [InlineData("    :  :     :  :  ", null, null, null)]
    public void TakenAtFallsBackInOrder(string? original, string? digitized, string? dateTime, string? expected)
    {
        var exif = new TestExif();
        if (original is not null) exif.DateTimeOriginal(original);
        if (digitized is not null) exif.DateTimeDigitized(digitized);
        if (dateTime is not null) exif.DateTime(dateTime);
        var d = Inspect(exif.App1());
        Assert.Equal(expected is null ? null : DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), d.TakenAt);
    }

    [Fact]
    public void Orientation6SwapsUprightSize()
    {
        var d = AssetInspector.Inspect(TestJpeg.WithSegments(TestJpeg.Plain(120, 80), new TestExif().Orientation(6).App1()), "rot.jpg");
        Assert.Equal((6, 80, 120), (d.Orientation, d.Width, d.Height));
    }

    [Theory]
    [InlineData("OLYMPUS DIGITAL CAMERA         ")]
    [InlineData("SONY DSC")]
    [InlineData("   ")]
    [InlineData("\0\0\0\0")]
    [InlineData("Canon EOS 5D")]
    public void PlaceholderDescriptionsAreSkipped(string description)
    {
        var d = Inspect(new TestExif().Model("Canon EOS 5D").ImageDescription(description).App1());
        Assert.Empty(d.Texts);
    }

    [Fact]
    public void ExifDescriptionAndUserComment()
    {
        byte[] comment = [.. "ASCII\0\0\0"u8.ToArray(), .. Encoding.UTF8.GetBytes("Grüße vom Strand")];
        var d = Inspect(new TestExif().ImageDescription("Sunset over the pier").UserComment(comment).App1());
        Assert.Equal(
            [new AssetText(TextItemKind.Description, "Sunset over the pier"), new AssetText(TextItemKind.Description, "Grüße vom Strand")],
            d.Texts);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void UnicodeUserCommentEitherByteOrder(bool bigEndian)
    {
        var encoding = bigEndian ? Encoding.BigEndianUnicode : Encoding.Unicode;
        byte[] comment = [.. "UNICODE\0"u8.ToArray(), .. encoding.GetBytes("Kyoto temple")];
        var d = Inspect(new TestExif().UserComment(comment).App1());
        Assert.Equal("Kyoto temple", Assert.Single(d.Texts).Text);
    }

    [Fact]
    public void AllNulUserCommentIsSkipped()
    {
        byte[] comment = new byte[64];
        Assert.Empty(Inspect(new TestExif().UserComment(comment).App1()).Texts);
    }

    [Fact]
    public void EmbeddedXmpDescriptionTitleAndSubjects()
    {
        using var plain = Pattern();
        string xmp = TestJpeg.Xmp("A red kite over the hills", "Kite day", "kite", "hills");
        using var tagged = plain.Mutate(m => m.Set(GValue.BlobType, "xmp-data", Encoding.UTF8.GetBytes(xmp)));
        byte[] jpeg = tagged.JpegsaveBuffer(q: 85);
        var iptc = TestJpeg.Iptc(caption: "A red kite over the hills", headline: null, "Kite", "sky");
        var d = AssetInspector.Inspect(TestJpeg.WithSegments(jpeg, iptc), "x.jpg");
        Assert.Equal(
            [
                new AssetText(TextItemKind.Description, "A red kite over the hills"),
                new AssetText(TextItemKind.Caption, "Kite day"),
                new AssetText(TextItemKind.Description, "Kite, sky, hills"),
            ],
            d.Texts);
    }

    [Fact]
    public void IptcCaptionHeadlineKeywords()
    {
        var d = Inspect(TestJpeg.Iptc("Two dogs on a beach", "Dogs", "dog", "beach", "dog"));
        Assert.Equal(
            [
                new AssetText(TextItemKind.Caption, "Two dogs on a beach"),
                new AssetText(TextItemKind.Caption, "Dogs"),
                new AssetText(TextItemKind.Description, "dog, beach"),
            ],
            d.Texts);
    }

    [Fact]
    public void IdenticalTextsAreDeduplicated()
    {
        var d = Inspect(new TestExif().ImageDescription("Harbour at night").App1(), TestJpeg.Iptc("Harbour at night"));
        Assert.Equal([new AssetText(TextItemKind.Description, "Harbour at night")], d.Texts);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("bad-offset")]
    [InlineData("huge-count")]
    [InlineData("truncated")]
    public void CorruptExifIsIgnored(string kind)
    {
        byte[] tiff = new TestExif().Make("Nikon").ImageDescription("Lake").Gps("N", (1, 2, 3), "E", (4, 5, 6)).Tiff();
        byte[] body = kind switch
        {
            "garbage" => [.. Enumerable.Range(0, 200).Select(i => (byte)(i * 37))],
            "bad-offset" => [.. tiff[..4], 0xF0, 0xFF, 0xFF, 0x7F, .. tiff[8..]],
            "huge-count" => [.. tiff[..8], 0xFF, 0xFF, .. tiff[10..]],
            _ => tiff[..(tiff.Length / 2)],
        };
        byte[] app1 = TestJpeg.Segment(0xE1, [.. "Exif\0\0"u8.ToArray(), .. body]);
        var d = Inspect(app1);
        Assert.Equal(("image/jpeg", 120, 80), (d.MediaType, d.Width, d.Height));
    }

    [Fact]
    public void CorruptXmpIsIgnored()
    {
        byte[] app1 = TestJpeg.Segment(0xE1, [.. "http://ns.adobe.com/xap/1.0/\0"u8.ToArray(), .. "<x:xmpmeta><rdf:RDF><unclosed"u8.ToArray()]);
        Assert.Empty(Inspect(app1).Texts);
    }

    [Fact]
    public void PngWithAlpha()
    {
        using var rgb = Pattern();
        using var rgba = rgb.Bandjoin(255);
        var d = AssetInspector.Inspect(rgba.PngsaveBuffer(), "a.png");
        Assert.Equal(("image/png", 120, 80, (short)1), (d.MediaType, d.Width, d.Height, d.Orientation));
    }

    [Fact]
    public void NonImageThrowsImageDecodeException()
    {
        var e = Assert.Throws<ImageDecodeException>(() => AssetInspector.Inspect("just some text, not a picture"u8, "notes.jpg"));
        Assert.Equal("notes.jpg", e.ImageName);
        Assert.Throws<ImageDecodeException>(() => AssetInspector.Inspect([], "empty.jpg"));
    }

    private static Image Pattern() => ImagingTestSupport.Pattern(120, 80);
}
