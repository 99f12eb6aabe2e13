using System.Text;

namespace MultiModalSearch.FileSystem;

/// <summary>
/// Unix file names are bytes, not text: archives copied from old cameras, Windows shares and zip files hold names that
/// are not valid UTF-8. .NET decodes such bytes to U+FFFD and can then neither open the file nor tell two such names
/// apart. Here a name is decoded losslessly instead, as Python's "surrogateescape" does: every byte that is not part of
/// valid UTF-8 becomes the lone surrogate U+DC80 + (byte - 0x80), which no valid UTF-8 can produce, and encoding turns
/// those back into the same bytes. Valid names are plain strings, unchanged.
/// </summary>
public static class FileNames
{
    private const char EscapeBase = '\uDC00';

    /// <summary>The string for a name or path as the kernel gave it.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var builder = new StringBuilder(bytes.Length);
        while (!bytes.IsEmpty)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes, out var rune, out var consumed);
            if (status == System.Buffers.OperationStatus.Done)
            {
                builder.Append(rune.ToString());
                bytes = bytes[consumed..];
                continue;
            }

            // One byte that starts no valid sequence: escaped on its own, so the bytes after it decode normally.
            builder.Append((char)(EscapeBase + bytes[0]));
            bytes = bytes[1..];
        }

        return builder.ToString();
    }

    /// <summary>The bytes of a name or path: escaped bytes back to themselves, the rest as UTF-8.</summary>
    public static byte[] Encode(string name)
    {
        if (!HasEscapes(name))
        {
            return Encoding.UTF8.GetBytes(name);
        }

        var bytes = new List<byte>(name.Length + 8);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (IsEscape(c))
            {
                bytes.Add((byte)(c - EscapeBase));
                continue;
            }

            // A surrogate pair is one character; any other lone surrogate (not from Decode) has no bytes: U+FFFD.
            var rune = char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1])
                ? new System.Text.Rune(c, name[++i])
                : System.Text.Rune.IsValid(c) ? new System.Text.Rune(c) : System.Text.Rune.ReplacementChar;
            var length = rune.EncodeToUtf8(utf8);
            bytes.AddRange(utf8[..length]);
        }

        return [.. bytes];
    }

    /// <summary>Whether the string holds bytes that are not UTF-8 (it came from a name that is not valid text).</summary>
    public static bool HasEscapes(string name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            if (IsEscapeAt(name, i))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A readable form for messages, logs and listings: each byte that is not UTF-8 as <c>\xNN</c>. For valid names this
    /// is the name itself. Not for opening files: use the string itself (or <see cref="Encode"/>) for that.
    /// </summary>
    public static string Display(string name)
    {
        if (!HasEscapes(name))
        {
            return name;
        }

        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            builder.Append(IsEscapeAt(name, i) ? $"\\x{name[i] - EscapeBase:x2}" : name[i]);
        }

        return builder.ToString();
    }

    // Only 0x80-0xFF can be escaped (ASCII is always valid UTF-8), so only a lone U+DC80..U+DCFF is an escape; the same
    // code unit after a high surrogate is the second half of a real character (U+10080, say).
    private static bool IsEscape(char c) => c is >= '\uDC80' and <= '\uDCFF';

    private static bool IsEscapeAt(string name, int index) =>
        IsEscape(name[index]) && (index == 0 || !char.IsHighSurrogate(name[index - 1]));
}
