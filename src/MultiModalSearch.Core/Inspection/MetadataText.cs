using System.Text;

namespace MultiModalSearch.Core.Inspection;

/// <summary>
/// Cleans free text from metadata fields and rejects what cameras and tools write when nobody
/// typed anything (so that searching "camera" does not match every Olympus photo).
/// </summary>
internal static class MetadataText
{
    /// <summary>Longer values are binary junk or dumps, not captions; the sidecar limit matches.</summary>
    public const int MaxChars = 64 * 1024;

    // Compared after whitespace is collapsed, case-insensitively. Collected from camera firmware
    // and common tools that fill ImageDescription/UserComment/Caption with a constant.
    private static readonly HashSet<string> Placeholders = new(StringComparer.OrdinalIgnoreCase)
    {
        "OLYMPUS DIGITAL CAMERA", "SONY DSC", "DIGITAL CAMERA", "KONICA MINOLTA DIGITAL CAMERA",
        "MINOLTA DIGITAL CAMERA", "SAMSUNG DIGITAL CAMERA", "SAMSUNG CAMERA PICTURES", "SAMSUNG",
        "KODAK DIGITAL STILL CAMERA", "KODAK CX7530 ZOOM DIGITAL CAMERA", "HP DIGITAL CAMERA",
        "PENTAX DIGITAL CAMERA", "NIKON DIGITAL CAMERA", "CASIO DIGITAL CAMERA", "DIGITAL STILL CAMERA",
        "EXIF_JPEG_PICTURE", "EXIF JPEG PICTURE", "JPEG", "JPG", "DCIM", "DEFAULT", "IMAGE", "PICTURE",
        "PHOTO", "UNTITLED", "NO TITLE", "NONE", "NULL", "DESCRIPTION", "CAPTION", "TITLE", "APPLEMARK",
        "LEAD TECHNOLOGIES INC. V1.01", "CREATED WITH GIMP", "MTK", "MEDIATEK CAMERA APPLICATION",
        "USER COMMENTS", "ASCII", "UNICODE",
    };

    private static readonly string[] PlaceholderPrefixes = ["CREATOR: GD-JPEG", "<KENOX", "<SAMSUNG"];

    /// <summary>
    /// Trims, turns control characters into spaces and returns null for empty, placeholder or
    /// oversized values. <paramref name="cameraNames"/> are also rejected: some cameras copy the
    /// model name into the description.
    /// </summary>
    public static string? Clean(string? raw, params ReadOnlySpan<string?> cameraNames)
    {
        if (string.IsNullOrEmpty(raw) || raw.Length > MaxChars)
            return null;
        string text = ReplaceControls(raw).Trim();
        if (text.Length == 0 || !HasLetterOrDigit(text))
            return null;
        string key = CollapseWhitespace(text);
        if (IsPlaceholder(key))
            return null;
        foreach (string? name in cameraNames)
        {
            if (name is not null && string.Equals(key, CollapseWhitespace(name), StringComparison.OrdinalIgnoreCase))
                return null;
        }
        return text;
    }

    /// <summary>Trimmed value (spaces and the NUL padding TIFF writers leave), or null when empty.</summary>
    public static string? TrimToNull(string? raw)
    {
        if (raw is null)
            return null;
        string t = raw.Trim().Trim('\0').Trim();
        return t.Length == 0 ? null : t;
    }

    public static string CollapseWhitespace(string text)
    {
        var sb = new StringBuilder(text.Length);
        bool pendingSpace = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (pendingSpace)
                sb.Append(' ');
            pendingSpace = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static bool IsPlaceholder(string key)
    {
        if (Placeholders.Contains(key))
            return true;
        foreach (string prefix in PlaceholderPrefixes)
        {
            if (key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    // Keeps line breaks and tabs (multi-line captions) but drops NULs and other C0/C1 controls
    // that fixed-size TIFF fields and broken encoders leave behind.
    private static string ReplaceControls(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\0', '\u001f') && !text.AsSpan().ContainsAnyInRange('\u007f', '\u009f'))
            return text;
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
            sb.Append(char.IsControl(c) && c is not ('\n' or '\r' or '\t') ? ' ' : c);
        return sb.ToString();
    }

    private static bool HasLetterOrDigit(string text)
    {
        foreach (char c in text)
        {
            if (char.IsLetterOrDigit(c))
                return true;
        }
        return false;
    }
}
