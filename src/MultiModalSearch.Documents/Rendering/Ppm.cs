using System.Text;
using MultiModalSearch.Abstractions.Documents;

namespace MultiModalSearch.Documents.Rendering;

/// <summary>Reads the binary PPM (P6, 8-bit) that pdftoppm writes.</summary>
internal static class Ppm
{
    public static (int Width, int Height, byte[] Rgb) Read(ReadOnlySpan<byte> data, string source)
    {
        int position = 0;
        string magic = Token(data, ref position);
        int width = int.Parse(Token(data, ref position), System.Globalization.CultureInfo.InvariantCulture);
        int height = int.Parse(Token(data, ref position), System.Globalization.CultureInfo.InvariantCulture);
        int max = int.Parse(Token(data, ref position), System.Globalization.CultureInfo.InvariantCulture);
        position++; // the single whitespace after maxval
        long length = (long)width * height * 3;
        if (magic != "P6" || max != 255 || width <= 0 || height <= 0 || data.Length - position < length)
            throw new DocumentRefusedException(source, DocumentRefusal.Corrupt, $"pdftoppm wrote an unexpected image ({magic} {width}x{height} max {max}, {data.Length} bytes)");
        return (width, height, data.Slice(position, (int)length).ToArray());
    }

    private static string Token(ReadOnlySpan<byte> data, ref int position)
    {
        while (position < data.Length && (char.IsWhiteSpace((char)data[position]) || data[position] == '#'))
        {
            if (data[position] == '#')
                while (position < data.Length && data[position] != '\n')
                    position++;
            else
                position++;
        }
        int start = position;
        while (position < data.Length && !char.IsWhiteSpace((char)data[position]))
            position++;
        return Encoding.ASCII.GetString(data[start..position]);
    }
}
