using System.Buffers.Binary;

namespace MultiModalSearch.Testing;

/// <summary>Writes bottom-up 24-bit BI_RGB BMPs for tests (libvips cannot save BMP).</summary>
public static class TestBmp
{
    public static byte[] Encode24(byte[] rgb, int width, int height)
    {
        int rowBytes = (width * 3 + 3) & ~3;
        var bmp = new byte[54 + rowBytes * height];
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        for (int y = 0; y < height; y++)
        {
            int row = 54 + (height - 1 - y) * rowBytes;
            for (int x = 0; x < width; x++)
            {
                int s = (y * width + x) * 3;
                bmp[row + x * 3] = rgb[s + 2];
                bmp[row + x * 3 + 1] = rgb[s + 1];
                bmp[row + x * 3 + 2] = rgb[s];
            }
        }
        return bmp;
    }
}
