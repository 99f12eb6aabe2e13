using MultiModalSearch.Abstractions.Errors;

namespace MultiModalSearch.Core.Assets;

/// <summary>
/// The public id of a content: its SHA-256 in lower-case hex. One id per distinct file content, whatever paths and
/// collections hold it, and never reused for other bytes, so URLs built on it can be cached forever.
/// </summary>
public static class ContentId
{
    public static string Format(byte[] hash) => Convert.ToHexStringLower(hash);

    /// <exception cref="InvalidSettingException">Not 64 hexadecimal characters.</exception>
    public static byte[] Parse(string? id, string setting = "id")
    {
        if (id is not { Length: 64 } || !id.All(Uri.IsHexDigit))
        {
            throw new InvalidSettingException(setting, "must be a content id: 64 hexadecimal characters (the SHA-256 of the file)");
        }

        return Convert.FromHexString(id);
    }
}
