using System.Buffers.Binary;

namespace MultiModalSearch.Imaging;

/// <summary>
/// Minimal Windows BMP reader, because the NuGet libvips build has no BMP loader (BMP in
/// libvips goes through ImageMagick, which it does not bundle). Covers the uncompressed
/// variants real files use: 1/4/8-bit palette, 16-bit 5-5-5 / bitfields, 24-bit, 32-bit
/// (BGRX or bitfields with alpha). RLE is reported as unsupported. Modes follow Pillow's
/// BmpImagePlugin: a grey-ramp palette opens as 'L' (resized bicubic), other palettes as 'P'
/// (nearest).
/// </summary>
internal static unsafe class BmpDecoder
{
    private const int FileHeaderSize = 14;

    public static bool IsBmp(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == (byte)'B' && data[1] == (byte)'M';

    public static bool IsBmpFile(string path)
    {
        Span<byte> magic = stackalloc byte[2];
        try
        {
            using var stream = File.OpenRead(path);
            return stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && IsBmp(magic);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ImageDecodeException.For(path, e.Message, e);
        }
    }

    private readonly record struct Header(
        int Width, int Height, bool TopDown, int Bits, uint Compression, int DataOffset,
        int PaletteOffset, int PaletteEntries, int PaletteEntrySize, uint RedMask, uint GreenMask, uint BlueMask, uint AlphaMask);

    public static ImageInfo ReadInfo(ReadOnlySpan<byte> data, string source)
    {
        var h = ParseHeader(data, source);
        bool alpha = h.Bits == 32 && h.AlphaMask != 0;
        return new ImageInfo(h.Width, h.Height, ImageFormat.Bmp, "image/bmp", 1, alpha ? 4 : 3, alpha);
    }

    public static DecodedImage Decode(ReadOnlySpan<byte> data, string source, ImageDecodeOptions options)
    {
        var h = ParseHeader(data, source);
        ImageLimits.CheckPixels(h.Width, h.Height, options, source);
        long rowBytes = ((long)h.Width * h.Bits + 31) / 32 * 4;
        if (h.DataOffset + rowBytes * h.Height > data.Length)
            throw ImageDecodeException.For(source, "the BMP pixel data is truncated");
        return h.Bits <= 8 ? DecodePalette(data, h, rowBytes, source) : DecodeDirect(data, h, rowBytes);
    }

    private static Header ParseHeader(ReadOnlySpan<byte> d, string source)
    {
        if (d.Length < FileHeaderSize + 12 || !IsBmp(d))
            throw ImageDecodeException.For(source, "not a BMP file or the header is truncated");
        int dataOffset = BinaryPrimitives.ReadInt32LittleEndian(d[10..]);
        int dibSize = BinaryPrimitives.ReadInt32LittleEndian(d[14..]);
        if (dibSize != 12 && (dibSize < 40 || d.Length < FileHeaderSize + dibSize))
            throw ImageDecodeException.For(source, $"unsupported BMP header size {dibSize}");
        int width, height, bits;
        uint compression = 0;
        int colours = 0;
        if (dibSize == 12)
        {
            width = BinaryPrimitives.ReadUInt16LittleEndian(d[18..]);
            height = BinaryPrimitives.ReadInt16LittleEndian(d[20..]);
            bits = BinaryPrimitives.ReadUInt16LittleEndian(d[24..]);
        }
        else
        {
            width = BinaryPrimitives.ReadInt32LittleEndian(d[18..]);
            height = BinaryPrimitives.ReadInt32LittleEndian(d[22..]);
            bits = BinaryPrimitives.ReadUInt16LittleEndian(d[28..]);
            compression = BinaryPrimitives.ReadUInt32LittleEndian(d[30..]);
            colours = BinaryPrimitives.ReadInt32LittleEndian(d[46..]);
        }
        bool topDown = height < 0;
        height = Math.Abs(height);
        if (width <= 0 || height <= 0)
            throw ImageDecodeException.For(source, $"the BMP claims an invalid size {width}x{height}");
        if (bits is not (1 or 4 or 8 or 16 or 24 or 32))
            throw ImageDecodeException.For(source, $"unsupported BMP bit depth {bits}");
        // 0 = BI_RGB, 3 = BI_BITFIELDS, 6 = BI_ALPHABITFIELDS; RLE (1, 2) and embedded JPEG/PNG are not supported.
        if (compression is not (0 or 3 or 6))
            throw ImageDecodeException.For(source, $"unsupported BMP compression {compression}");

        var (r, g, b, a) = DefaultMasks(bits);
        if (compression is 3 or 6)
        {
            int maskAt = FileHeaderSize + 40;
            if (d.Length < maskAt + 16)
                throw ImageDecodeException.For(source, "the BMP bitfield masks are truncated");
            r = BinaryPrimitives.ReadUInt32LittleEndian(d[maskAt..]);
            g = BinaryPrimitives.ReadUInt32LittleEndian(d[(maskAt + 4)..]);
            b = BinaryPrimitives.ReadUInt32LittleEndian(d[(maskAt + 8)..]);
            a = dibSize >= 56 || compression == 6 ? BinaryPrimitives.ReadUInt32LittleEndian(d[(maskAt + 12)..]) : 0;
        }
        int entrySize = dibSize == 12 ? 3 : 4;
        int entries = bits <= 8 ? (colours > 0 && colours <= (1 << bits) ? colours : 1 << bits) : 0;
        int paletteOffset = FileHeaderSize + dibSize + (compression == 3 && dibSize == 40 ? 12 : 0);
        if (bits <= 8 && paletteOffset + entries * entrySize > d.Length)
            throw ImageDecodeException.For(source, "the BMP palette is truncated");
        return new Header(width, height, topDown, bits, compression, dataOffset, paletteOffset, entries, entrySize, r, g, b, a);
    }

    private static (uint R, uint G, uint B, uint A) DefaultMasks(int bits) => bits switch
    {
        16 => (0x7C00, 0x03E0, 0x001F, 0),
        _ => (0x00FF0000, 0x0000FF00, 0x000000FF, 0),
    };

    private static DecodedImage DecodePalette(ReadOnlySpan<byte> d, Header h, long rowBytes, string source)
    {
        Span<byte> rgb = stackalloc byte[256 * 3];
        rgb.Clear();
        for (int i = 0; i < h.PaletteEntries; i++)
        {
            var e = d.Slice(h.PaletteOffset + i * h.PaletteEntrySize, 3);
            rgb[i * 3] = e[2];
            rgb[i * 3 + 1] = e[1];
            rgb[i * 3 + 2] = e[0];
        }
        bool grey = IsGreyRamp(rgb, h.PaletteEntries);
        var image = DecodedImage.Allocate(h.Width, h.Height, grey ? PixelLayout.Grey : PixelLayout.Rgb, palette: !grey);
        byte* o = image.Data;
        int mask = (1 << h.Bits) - 1;
        for (int y = 0; y < h.Height; y++)
        {
            var row = d.Slice((int)(h.DataOffset + rowBytes * (h.TopDown ? y : h.Height - 1 - y)), (int)rowBytes);
            for (int x = 0; x < h.Width; x++)
            {
                int bit = x * h.Bits;
                int index = (row[bit >> 3] >> (8 - h.Bits - (bit & 7))) & mask;
                if (grey)
                {
                    *o++ = rgb[index * 3];
                }
                else
                {
                    *o++ = rgb[index * 3];
                    *o++ = rgb[index * 3 + 1];
                    *o++ = rgb[index * 3 + 2];
                }
            }
        }
        _ = source;
        return image;
    }

    // Pillow opens a palette whose entries are exactly 0, 1, 2, ... (a grey ramp) as 'L', and a
    // 2-colour black/white one as '1'; '1' is resized nearest like 'P', so only the ramp is grey.
    private static bool IsGreyRamp(ReadOnlySpan<byte> rgb, int entries)
    {
        if (entries == 2)
            return false;
        for (int i = 0; i < entries; i++)
        {
            if (rgb[i * 3] != i || rgb[i * 3 + 1] != i || rgb[i * 3 + 2] != i)
                return false;
        }
        return true;
    }

    private static DecodedImage DecodeDirect(ReadOnlySpan<byte> d, Header h, long rowBytes)
    {
        bool alpha = h.Bits == 32 && h.AlphaMask != 0;
        var image = DecodedImage.Allocate(h.Width, h.Height, alpha ? PixelLayout.Rgba : PixelLayout.Rgb, palette: false);
        var r = new Channel(h.RedMask);
        var g = new Channel(h.GreenMask);
        var b = new Channel(h.BlueMask);
        var a = new Channel(h.AlphaMask);
        int bytesPerPixel = h.Bits / 8;
        byte* o = image.Data;
        for (int y = 0; y < h.Height; y++)
        {
            var row = d.Slice((int)(h.DataOffset + rowBytes * (h.TopDown ? y : h.Height - 1 - y)), (int)rowBytes);
            for (int x = 0; x < h.Width; x++)
            {
                var p = row.Slice(x * bytesPerPixel, bytesPerPixel);
                uint v = bytesPerPixel switch
                {
                    2 => BinaryPrimitives.ReadUInt16LittleEndian(p),
                    3 => (uint)(p[0] | p[1] << 8 | p[2] << 16),
                    _ => BinaryPrimitives.ReadUInt32LittleEndian(p),
                };
                *o++ = r.Extract(v);
                *o++ = g.Extract(v);
                *o++ = b.Extract(v);
                if (alpha)
                    *o++ = a.Extract(v);
            }
        }
        return image;
    }

    /// <summary>One bitfield channel scaled to 8 bits (5-bit values expand as Pillow's BGR;15 does: v * 255 / 31, truncated).</summary>
    private readonly struct Channel
    {
        private readonly uint mask;
        private readonly int shift;
        private readonly uint max;

        public Channel(uint mask)
        {
            this.mask = mask;
            shift = mask == 0 ? 0 : System.Numerics.BitOperations.TrailingZeroCount(mask);
            max = mask == 0 ? 0 : mask >> shift;
        }

        public byte Extract(uint v)
        {
            if (max == 0)
                return 0;
            uint c = (v & mask) >> shift;
            return max == 255 ? (byte)c : (byte)(c * 255 / max);
        }
    }
}
