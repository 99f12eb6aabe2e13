using System.Buffers.Binary;
using System.Text;

namespace MultiModalSearch.Testing;

/// <summary>
/// Builds a little-endian TIFF-structured EXIF block (IFD0, Exif sub-IFD, GPS IFD) so tests can
/// attach fields libvips cannot write directly (GPS, DateTimeOriginal, UserComment).
/// </summary>
public sealed class TestExif
{
    private const ushort Byte = 1, Ascii = 2, Short = 3, Long = 4, Rational = 5, Undefined = 7;
    private const ushort ExifIfdPointer = 0x8769, GpsIfdPointer = 0x8825;

    private readonly List<Entry> ifd0 = [];
    private readonly List<Entry> exif = [];
    private readonly List<Entry> gps = [];

    public TestExif Make(string v) => AddAscii(ifd0, 0x010F, v);

    public TestExif Model(string v) => AddAscii(ifd0, 0x0110, v);

    public TestExif ImageDescription(string v) => AddAscii(ifd0, 0x010E, v);

    public TestExif DateTime(string v) => AddAscii(ifd0, 0x0132, v);

    public TestExif Orientation(ushort v) => Add(ifd0, 0x0112, Short, 1, Le16(v));

    public TestExif DateTimeOriginal(string v) => AddAscii(exif, 0x9003, v);

    public TestExif DateTimeDigitized(string v) => AddAscii(exif, 0x9004, v);

    public TestExif UserComment(byte[] raw) => Add(exif, 0x9286, Undefined, (uint)raw.Length, raw);

    /// <summary>Degrees/minutes/seconds as rationals; a null ref leaves the ref tag out.</summary>
    public TestExif Gps(string? latRef, (uint D, uint M, double S) lat, string? lonRef, (uint D, uint M, double S) lon)
    {
        Add(gps, 0x0000, Byte, 4, [2, 3, 0, 0]);
        if (latRef is not null)
            AddAscii(gps, 0x0001, latRef);
        Add(gps, 0x0002, Rational, 3, Dms(lat));
        if (lonRef is not null)
            AddAscii(gps, 0x0003, lonRef);
        Add(gps, 0x0004, Rational, 3, Dms(lon));
        return this;
    }

    /// <summary>The TIFF block ("II*\0" ...).</summary>
    public byte[] Tiff()
    {
        var ifd0 = new List<Entry>(this.ifd0);
        // Pointer values are patched after layout; their entries must exist to size IFD0.
        if (exif.Count > 0) ifd0.Add(new Entry(ExifIfdPointer, Long, 1, new byte[4]));
        if (gps.Count > 0) ifd0.Add(new Entry(GpsIfdPointer, Long, 1, new byte[4]));
        Sort(ifd0);
        Sort(exif);
        Sort(gps);
        int ifd0At = 8;
        int exifAt = ifd0At + Size(ifd0);
        int gpsAt = exifAt + (exif.Count > 0 ? Size(exif) : 0);
        Patch(ifd0, ExifIfdPointer, exifAt);
        Patch(ifd0, GpsIfdPointer, gpsAt);

        var tiff = new List<byte>(Encoding.ASCII.GetBytes("II"));
        tiff.AddRange(Le16(42));
        tiff.AddRange(Le32((uint)ifd0At));
        WriteIfd(tiff, ifd0);
        if (exif.Count > 0) WriteIfd(tiff, exif);
        if (gps.Count > 0) WriteIfd(tiff, gps);
        return [.. tiff];
    }

    /// <summary>A JPEG APP1 segment holding this EXIF block.</summary>
    public byte[] App1() => TestJpeg.Segment(0xE1, [.. "Exif\0\0"u8.ToArray(), .. Tiff()]);

    private static void Sort(List<Entry> entries) => entries.Sort((a, b) => a.Tag.CompareTo(b.Tag));

    private static void Patch(List<Entry> entries, ushort tag, int offset)
    {
        int i = entries.FindIndex(e => e.Tag == tag);
        if (i >= 0)
            entries[i] = entries[i] with { Value = Le32((uint)offset) };
    }

    private static int Size(List<Entry> entries) =>
        2 + 12 * entries.Count + 4 + entries.Sum(e => e.Value.Length > 4 ? Even(e.Value.Length) : 0);

    private static int Even(int n) => (n + 1) & ~1;

    /// <summary>Writes one IFD at the current end of <paramref name="tiff"/>, values over 4 bytes after it.</summary>
    private static void WriteIfd(List<byte> tiff, List<Entry> entries)
    {
        int start = tiff.Count;
        int dataAt = start + 2 + 12 * entries.Count + 4;
        var data = new List<byte>();
        tiff.AddRange(Le16((ushort)entries.Count));
        foreach (var e in entries)
        {
            tiff.AddRange(Le16(e.Tag));
            tiff.AddRange(Le16(e.Type));
            tiff.AddRange(Le32(e.Count));
            if (e.Value.Length <= 4)
            {
                tiff.AddRange(e.Value);
                tiff.AddRange(new byte[4 - e.Value.Length]);
                continue;
            }
            tiff.AddRange(Le32((uint)(dataAt + data.Count)));
            data.AddRange(e.Value);
            if (e.Value.Length % 2 == 1)
                data.Add(0);
        }
        tiff.AddRange(Le32(0));
        tiff.AddRange(data);
    }

    private TestExif AddAscii(List<Entry> ifd, ushort tag, string value)
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes(value), 0];
        return Add(ifd, tag, Ascii, (uint)bytes.Length, bytes);
    }

    private TestExif Add(List<Entry> ifd, ushort tag, ushort type, uint count, byte[] value)
    {
        ifd.Add(new Entry(tag, type, count, value));
        return this;
    }

    private static byte[] Dms((uint D, uint M, double S) v) =>
        [.. Le32(v.D), .. Le32(1), .. Le32(v.M), .. Le32(1), .. Le32((uint)Math.Round(v.S * 100)), .. Le32(100)];

    private static byte[] Le16(ushort v)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        return b;
    }

    private static byte[] Le32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }

    private sealed record Entry(ushort Tag, ushort Type, uint Count, byte[] Value);
}
