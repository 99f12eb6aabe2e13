using System.Security.Cryptography;
using System.Text;

namespace MultiModalSearch.Core.Access;

/// <summary>
/// API key secrets: "mms_" and 43 base64url characters (256 random bits). Only their SHA-256 is stored: a random
/// secret of that size cannot be guessed from its hash, so a slow password hash would buy nothing.
/// </summary>
public static class ApiKeySecret
{
    public const string Prefix = "mms_";
    private const int SecretBytes = 32;
    private const int MaxLength = 200;

    public static string Create() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>The stored form of a secret; null for text that cannot be a key (so it is never looked up).</summary>
    public static byte[]? Hash(string secret)
    {
        if (secret.Length is 0 or > MaxLength || !secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        return SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
