using System.Text;
using MetadataExtractor;

namespace MultiModalSearch.Core.Inspection;

/// <summary>
/// Decodes EXIF UserComment (tag 0x9286): 8 bytes naming the character code, then the text.
/// Decoded here rather than via the library's descriptor so that UTF-8 written under the
/// "ASCII" code (what phones do) and UTF-16 in either byte order come out right.
/// </summary>
internal static class ExifUserComment
{
    private const int HeaderLength = 8;

    public static string? Read(MetadataExtractor.Directory directory, int tag) => directory.GetObject(tag) switch
    {
        byte[] bytes => Decode(bytes),
        StringValue s => s.ToString(),
        string s => s,
        _ => null,
    };

    public static string? Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength)
            return Utf8OrLatin1(bytes);
        string code = Encoding.ASCII.GetString(bytes[..HeaderLength]).Trim('\0', ' ');
        var body = bytes[HeaderLength..];
        return code.ToUpperInvariant() switch
        {
            "UNICODE" => Utf16(body),
            // JIS X0208 needs a code page .NET does not ship by default; such comments are rare.
            "JIS" => null,
            "ASCII" or "" => Utf8OrLatin1(body),
            // No recognised header: some writers put the text directly in the field.
            _ => Utf8OrLatin1(bytes),
        };
    }

    private static string Utf8OrLatin1(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    /// <summary>
    /// The spec says UTF-16 in the TIFF byte order, but writers disagree; Latin text has a zero
    /// high byte, so the side with more zero bytes is the high-order side.
    /// </summary>
    private static string Utf16(ReadOnlySpan<byte> body)
    {
        int even = 0, odd = 0;
        for (int i = 0; i + 1 < body.Length; i += 2)
        {
            if (body[i] == 0) even++;
            if (body[i + 1] == 0) odd++;
        }
        var encoding = even > odd ? Encoding.BigEndianUnicode : Encoding.Unicode;
        return encoding.GetString(body[..(body.Length & ~1)]).TrimStart('\uFEFF');
    }
}
