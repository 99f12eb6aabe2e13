using System.Net;
using System.Net.Http.Headers;
using MultiModalSearch.Models.Resolution;

namespace MultiModalSearch.Models.Hub;

/// <summary>
/// The two requests the resolver needs: HEAD on a resolve URL (metadata) and a ranged GET of the content.
/// Redirects are followed by hand: a HEAD must stop at the LFS redirect, because the Hub's headers (X-Linked-Etag,
/// X-Linked-Size) are on the redirect itself, and a GET must not carry the token to another host.
/// </summary>
internal sealed class HubHttpClient(HttpClient http, HubOptions options, HubRepoId id)
{
    private const int MaxRedirects = 10;

    /// <summary>One client for the process: sockets and TLS sessions are pooled across resolvers.</summary>
    public static HttpClient Shared { get; } = CreateShared();

    public Uri ResolveUrl(string revision, string fileName)
    {
        var path = string.Join('/', fileName.Split('/').Select(Uri.EscapeDataString));
        return new Uri($"{options.Endpoint}/{id.RepoId}/resolve/{Uri.EscapeDataString(revision)}/{path}");
    }

    /// <summary>Metadata of a file at a revision, or null when the repository has no such file.</summary>
    public async Task<HubFileMetadata?> HeadAsync(string revision, string fileName, CancellationToken ct = default)
    {
        var url = ResolveUrl(revision, fileName);
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            using var response = await SendForHeadersAsync(HttpMethod.Head, url, offset: 0, ct);
            // Only same-server (relative) redirects are followed on HEAD: they mean a renamed repository.
            if (IsRedirect(response.StatusCode) && response.Headers.Location is { IsAbsoluteUri: false } relative)
            {
                url = new Uri(url, relative);
                continue;
            }
            if (response.StatusCode == HttpStatusCode.NotFound && ErrorCode(response) is null or "EntryNotFound")
                return null;
            ThrowForErrorStatus(response, revision);
            return ReadMetadata(response, url, fileName);
        }
        throw Protocol($"too many redirects for {fileName}");
    }

    /// <summary>GET from <paramref name="location"/> asking for bytes from <paramref name="offset"/> on; the caller
    /// checks 200 against 206 and disposes the response.</summary>
    public async Task<HttpResponseMessage> GetAsync(Uri location, long offset, CancellationToken ct = default)
    {
        var url = location;
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            var response = await SendForHeadersAsync(HttpMethod.Get, url, offset, ct);
            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } next)
            {
                response.Dispose();
                url = next.IsAbsoluteUri ? next : new Uri(url, next);
                continue;
            }
            if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
                return response;
            // The CDN knows nothing of repositories or tokens: its errors are transient (5xx) or a broken link.
            var status = (int)response.StatusCode;
            response.Dispose();
            if (status >= 500 || status == 429)
                throw new HubUnreachableException($"{url.Host} answered HTTP {status} to a download");
            throw Protocol($"the download from {url.Host} failed with HTTP {status}");
        }
        throw Protocol($"too many redirects for {location}");
    }

    private async Task<HttpResponseMessage> SendForHeadersAsync(HttpMethod method, Uri url, long offset, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url);
        // Compressed transfer would make Content-Length the compressed size and break size checks and ranges.
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
        if (offset > 0)
            request.Headers.Range = new RangeHeaderValue(offset, null);
        if (options.Token is { } token && IsEndpointHost(url))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.MetadataTimeout);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (HttpRequestException e) when (e.StatusCode is null)
        {
            throw new HubUnreachableException(e.Message, e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new HubUnreachableException($"no answer from {url.Host} within {options.MetadataTimeout.TotalSeconds:0.#} s", e);
        }
    }

    private HubFileMetadata ReadMetadata(HttpResponseMessage response, Uri url, string fileName)
    {
        var commit = Header(response, "X-Repo-Commit")
                     ?? throw Protocol($"the answer for {fileName} has no X-Repo-Commit header; is {options.Endpoint} a Hugging Face Hub?");
        var etag = Header(response, "X-Linked-Etag") ?? response.Headers.ETag?.Tag ?? Header(response, "ETag")
                   ?? throw Protocol($"the answer for {fileName} has no ETag header");
        var size = long.TryParse(Header(response, "X-Linked-Size"), out var linked) ? linked : response.Content.Headers.ContentLength;
        var location = response.Headers.Location is { } loc ? (loc.IsAbsoluteUri ? loc : new Uri(url, loc)) : url;
        try
        {
            return new HubFileMetadata(commit.Trim(), NormalizeEtag(etag), size, location);
        }
        catch (FormatException e)
        {
            throw Protocol($"the answer for {fileName} has an {e.Message}");
        }
    }

    /// <summary>Etags arrive quoted and sometimes weak (W/"..."); the cache uses the bare value as the blob name.</summary>
    internal static string NormalizeEtag(string etag)
    {
        var value = etag.Trim();
        if (value.StartsWith("W/", StringComparison.OrdinalIgnoreCase))
            value = value[2..];
        value = value.Trim('"');
        // The etag becomes a file name in blobs/; a hostile server must not be able to choose a path.
        if (value.Length == 0 || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            throw new FormatException($"unusable ETag '{etag}'");
        return value;
    }

    private void ThrowForErrorStatus(HttpResponseMessage response, string revision)
    {
        if (response.IsSuccessStatusCode || IsRedirect(response.StatusCode))
            return;
        var status = (int)response.StatusCode;
        var code = ErrorCode(response);
        var page = $"{options.Endpoint}/{id.RepoId}";
        if (code == "RepoNotFound" || (status == 401 && options.Token is null))
            throw Fail(ModelUnavailableReason.NotFound,
                $"Model '{id.RepoId}' was not found on {options.Endpoint} (HTTP {status}): check the id, or if it is private or gated set HF_TOKEN to a token that can read it.");
        if (code == "GatedRepo")
            throw Fail(ModelUnavailableReason.Gated,
                $"Model '{id.RepoId}' is gated (HTTP {status}): accept its terms at {page} and set HF_TOKEN to a token of that account.");
        if (code == "RevisionNotFound")
            throw Fail(ModelUnavailableReason.RevisionNotFound,
                $"Model '{id.RepoId}' has no revision '{revision}' on {options.Endpoint} (HTTP {status}): check the branch, tag or commit after '@'.");
        if (status is 401 or 403)
            throw Fail(ModelUnavailableReason.Unauthorized,
                $"Model '{id.RepoId}' refused the token in HF_TOKEN (HTTP {status}): check that it is valid and can read {page}.");
        if (status >= 500 || status == 429)
            throw new HubUnreachableException($"{options.Endpoint} answered HTTP {status}");
        throw Protocol($"unexpected HTTP {status} from {response.RequestMessage?.RequestUri}");
    }

    private bool IsEndpointHost(Uri url) =>
        Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint)
        && Uri.Compare(endpoint, url, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private static bool IsRedirect(HttpStatusCode status) => (int)status is >= 300 and < 400;

    private static string? ErrorCode(HttpResponseMessage response) => Header(response, "X-Error-Code");

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? contentValues.FirstOrDefault()
        : null;

    private ModelNotAvailableException Fail(ModelUnavailableReason reason, string message) =>
        new(id.DisplayName, reason, message);

    private ModelNotAvailableException Protocol(string detail) =>
        Fail(ModelUnavailableReason.ProtocolError, $"Model '{id.DisplayName}' could not be downloaded from {options.Endpoint}: {detail}.");

    private static HttpClient CreateShared()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        // Bodies can be gigabytes: only the header phase is timed (see SendForHeadersAsync).
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("MultiModalSearch/1.0");
        return client;
    }
}
