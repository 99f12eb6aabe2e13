using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace MultiModalSearch.Testing;

/// <summary>
/// Writes PDF files object by object, with a correct cross-reference table, so tests can make the hostile files a
/// PDF library will not write: an encryption dictionary, an image that claims 10^10 pixels, 100,000 paths on a page.
/// Object 1 must be the catalog.
/// </summary>
public static class RawPdf
{
    public static byte[] Build(IReadOnlyList<byte[]> objects, string trailerExtra = "")
    {
        using var pdf = new MemoryStream();
        Write(pdf, "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new long[objects.Count];
        for (int i = 0; i < objects.Count; i++)
        {
            offsets[i] = pdf.Position;
            Write(pdf, $"{i + 1} 0 obj\n");
            pdf.Write(objects[i]);
            Write(pdf, "\nendobj\n");
        }
        long xref = pdf.Position;
        var table = new StringBuilder($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (long offset in offsets)
            table.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        Write(pdf, table.ToString());
        Write(pdf, $"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R {trailerExtra} >>\nstartxref\n{xref}\n%%EOF\n");
        return pdf.ToArray();
    }

    public static byte[] Dictionary(string dictionary) => Encoding.Latin1.GetBytes(dictionary);

    /// <summary>A stream object: the dictionary (without /Length) and the bytes, Flate-compressed when asked.</summary>
    public static byte[] Stream(string dictionary, byte[] data, bool flate = false)
    {
        byte[] body = flate ? Deflate(data) : data;
        string filter = flate ? " /Filter /FlateDecode" : "";
        var inner = dictionary.Trim();
        inner = inner[..^2].TrimEnd(); // drop the closing ">>"
        using var stream = new MemoryStream();
        Write(stream, $"{inner}{filter} /Length {body.Length} >>\nstream\n");
        stream.Write(body);
        Write(stream, "\nendstream");
        return stream.ToArray();
    }

    /// <summary>Catalog, page tree and one Letter page drawing <paramref name="content"/> with Helvetica as /F1; more objects after.</summary>
    public static byte[] OnePage(string content, string extraResources = "", IReadOnlyList<byte[]>? more = null, string trailerExtra = "")
    {
        var objects = new List<byte[]>
        {
            Dictionary("<< /Type /Catalog /Pages 2 0 R >>"),
            Dictionary("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
            Dictionary($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> {extraResources} >> >>"),
            Stream("<< >>", Encoding.Latin1.GetBytes(content), flate: true),
            Dictionary("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
        };
        if (more is not null)
            objects.AddRange(more);
        return Build(objects, trailerExtra);
    }

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
            zlib.Write(data);
        return output.ToArray();
    }

    private static void Write(Stream stream, string text) => stream.Write(Encoding.Latin1.GetBytes(text));
}
