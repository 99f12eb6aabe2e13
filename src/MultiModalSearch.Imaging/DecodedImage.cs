using System.Runtime.InteropServices;

namespace MultiModalSearch.Imaging;

/// <summary>
/// Decoded, upright, interleaved 8-bit pixels in unmanaged memory. Unmanaged because libvips
/// hands its output buffer over without a copy, and a 12 MP photo would otherwise be a 36 MB
/// large-object-heap allocation per image.
/// </summary>
internal sealed unsafe class DecodedImage : IDisposable
{
    private byte* data;
    private readonly bool ownedByVips;

    private DecodedImage(byte* data, int width, int height, PixelLayout layout, bool palette, bool ownedByVips)
    {
        this.data = data;
        Width = width;
        Height = height;
        Layout = layout;
        IsPalette = palette;
        this.ownedByVips = ownedByVips;
    }

    public int Width { get; }

    public int Height { get; }

    public PixelLayout Layout { get; }

    /// <summary>Expanded from palette indices: Pillow resizes those nearest-neighbour.</summary>
    public bool IsPalette { get; }

    public int Bands => BandsOf(Layout);

    public int Stride => Width * Bands;

    public byte* Data => data != null ? data : throw new ObjectDisposedException(nameof(DecodedImage));

    public static int BandsOf(PixelLayout layout) => layout switch
    {
        PixelLayout.Grey => 1,
        PixelLayout.GreyAlpha => 2,
        PixelLayout.Rgb => 3,
        _ => 4,
    };

    /// <summary>Takes ownership of a buffer returned by vips_image_write_to_memory.</summary>
    public static DecodedImage FromVips(IntPtr buffer, int width, int height, PixelLayout layout, bool palette) =>
        new((byte*)buffer, width, height, layout, palette, ownedByVips: true);

    public static DecodedImage Allocate(int width, int height, PixelLayout layout, bool palette)
    {
        nuint size = (nuint)width * (nuint)height * (nuint)BandsOf(layout);
        return new DecodedImage((byte*)NativeMemory.Alloc(size == 0 ? 1 : size), width, height, layout, palette, ownedByVips: false);
    }

    /// <summary>Same pixels re-arranged for an EXIF orientation; this instance is disposed.</summary>
    public DecodedImage Orient(int orientation)
    {
        if (orientation is < 2 or > 8)
            return this;
        bool swap = orientation >= 5;
        var result = Allocate(swap ? Height : Width, swap ? Width : Height, Layout, IsPalette);
        ExifOrientation.Apply(Data, Width, Height, Bands, orientation, result.Data);
        Dispose();
        return result;
    }

    public void Dispose()
    {
        byte* data = this.data;
        this.data = null;
        if (data == null)
            return;
        if (ownedByVips)
            NetVips.NetVips.Free((IntPtr)data);
        else
            NativeMemory.Free(data);
    }
}
