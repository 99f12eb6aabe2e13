using System.Security.Cryptography;
using System.Text;
using MultiModalSearch.Abstractions.Access;

namespace MultiModalSearch.Core.Assets;

/// <summary>
/// Signs the file URLs of contents in private collections. A browser's &lt;img&gt; cannot send an API key, so a search
/// made with a key returns thumbnail URLs carrying a token that proves the key could read the content. The token
/// depends on the content only, so the URL stays the same (and cacheable) across searches; the secret lives in the
/// database, shared by every service process.
/// </summary>
public sealed class UrlSigner(IAccessStore store)
{
    private const int TokenBytes = 16;
    private byte[]? secret;

    public async Task<string> SignAsync(byte[] contentHash, CancellationToken cancellationToken = default) =>
        Base64Url(await MacAsync(contentHash, cancellationToken));

    public async Task<bool> VerifyAsync(byte[] contentHash, string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Base64Url(await MacAsync(contentHash, cancellationToken)));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(token));
    }

    private async Task<byte[]> MacAsync(byte[] contentHash, CancellationToken cancellationToken)
    {
        secret ??= await store.ServiceSecretAsync(cancellationToken);
        return HMACSHA256.HashData(secret, contentHash).AsSpan(0, TokenBytes).ToArray();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
