using System.Buffers.Binary;
using System.Text;
using NetVips;

namespace MultiModalSearch.Testing;

/// <summary>JPEG bytes for metadata tests: a generated picture plus hand-made APPn segments.</summary>
public static class TestJpeg
{
    /// <summary>A plain JPEG with no metadata segments besides JFIF.</summary>
    public static byte[] Plain(int width = 120, int height = 80)
    {
        using var image = ImagingTestSupport.Pattern(width, height);
        return image.JpegsaveBuffer(q: 85, keep: Enums.ForeignKeep.None);
    }

    /// <summary>Inserts <paramref name="segments"/> right after SOI, where EXIF belongs.</summary>
    public static byte[] WithSegments(byte[] jpeg, params byte[][] segments)
    {
        Assert.True(jpeg[0] == 0xFF && jpeg[1] == 0xD8, "not a JPEG");
        return [.. jpeg[..2], .. segments.SelectMany(s => s), .. jpeg[2..]];
    }

    public static byte[] Segment(byte marker, byte[] payload)
    {
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, checked((ushort)(payload.Length + 2)));
        return [0xFF, marker, .. length, .. payload];
    }

    /// <summary>APP13 "Photoshop 3.0" with an IPTC-NAA resource (UTF-8 declared).</summary>
    public static byte[] Iptc(string? caption = null, string? headline = null, params string[] keywords)
    {
        var iptc = new List<byte>();
        AddDataSet(iptc, 1, 90, "\u001b%G"); // coded character set: UTF-8
        foreach (string k in keywords)
            AddDataSet(iptc, 2, 25, k);
        if (headline is not null) AddDataSet(iptc, 2, 105, headline);
        if (caption is not null) AddDataSet(iptc, 2, 120, caption);
        if (iptc.Count % 2 == 1) iptc.Add(0);

        var resource = new List<byte>("8BIM"u8.ToArray()) { 0x04, 0x04, 0, 0 };
        var size = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(size, (uint)iptc.Count);
        resource.AddRange(size);
        resource.AddRange(iptc);
        return Segment(0xED, [.. "Photoshop 3.0\0"u8.ToArray(), .. resource]);
    }

    private static void AddDataSet(List<byte> iptc, byte record, byte dataSet, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        iptc.AddRange([0x1C, record, dataSet, (byte)(bytes.Length >> 8), (byte)bytes.Length]);
        iptc.AddRange(bytes);
    }

    /// <summary>An XMP packet with Dublin Core description/title (x-default) and subjects.</summary>
    public static string Xmp(string? description = null, string? title = null, params string[] subjects)
    {
        var sb = new StringBuilder();
        sb.Append("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>");
        sb.Append("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">");
        sb.Append("<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">");
        if (description is not null) sb.Append(Alt("description", description));
        if (title is not null) sb.Append(Alt("title", title));
        if (subjects.Length > 0)
            sb.Append("<dc:subject><rdf:Bag>").AppendJoin("", subjects.Select(s => $"<rdf:li>{s}</rdf:li>")).Append("</rdf:Bag></dc:subject>");
        sb.Append("</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>");
        return sb.ToString();
    }

    private static string Alt(string name, string value) =>
        $"<dc:{name}><rdf:Alt><rdf:li xml:lang=\"de\">Deutsch {value}</rdf:li><rdf:li xml:lang=\"x-default\">{value}</rdf:li></rdf:Alt></dc:{name}>";
}
