using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Hub;

/// <summary>
/// A loopback stand-in for the Hub's resolve endpoint: <c>/{org}/{name}/resolve/{revision}/{file}</c> answers with
/// X-Repo-Commit and an ETag (git blob sha1 for plain files; for LFS files a 302 to <c>/cdn/...</c> carrying
/// X-Linked-Etag = sha256 and X-Linked-Size), and the CDN path honours Range with 206.
/// </summary>
internal sealed class FakeHubServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentDictionary<string, FakeRepo> repos = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stop = new();

    public FakeHubServer()
    {
        Endpoint = StartOnFreePort(listener);
        _ = Task.Run(AcceptLoopAsync);
    }

    /// <summary>http://127.0.0.1:port without a trailing slash, as HF_ENDPOINT would hold it.</summary>
    public string Endpoint { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Sent with every 404 of an unknown repository; the real Hub sends 401 when not logged in.</summary>
    public HttpStatusCode MissingRepoStatus { get; set; } = HttpStatusCode.NotFound;

    public FakeRepo AddRepo(string repoId, string commit)
    {
        var repo = new FakeRepo(commit);
        repos[repoId] = repo;
        return repo;
    }

    public FakeFile FileOf(string repoId, string name) => repos[repoId].Files[name];

    public void Dispose()
    {
        stop.Cancel();
        listener.Close();
        stop.Dispose();
    }

    private static string StartOnFreePort(HttpListener listener)
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            try
            {
                listener.Prefixes.Clear();
                listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                listener.Start();
                return $"http://127.0.0.1:{port}";
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // Another process took the port between probe and bind; pick another.
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Url!.AbsolutePath;
        Requests.Enqueue(new RecordedRequest(request.HttpMethod, Uri.UnescapeDataString(path), request.Headers["Range"], request.Headers["Authorization"]));
        try
        {
            if (path.StartsWith("/cdn/", StringComparison.Ordinal))
                await ServeCdnAsync(path["/cdn/".Length..], request, response);
            else
                ServeResolve(path, request.HttpMethod == "HEAD", response);
        }
        catch (HttpListenerException)
        {
            // The client went away (cancelled test); nothing to answer.
        }
        finally
        {
            try { response.Close(); } catch (ObjectDisposedException) { } catch (HttpListenerException) { }
        }
    }

    private void ServeResolve(string rawPath, bool isHead, HttpListenerResponse response)
    {
        // /{org}/{name}/resolve/{revision}/{file...}; the revision is one escaped segment.
        var parts = rawPath.TrimStart('/').Split('/');
        if (parts.Length < 5 || parts[2] != "resolve")
        {
            response.StatusCode = 400;
            return;
        }
        var repoId = parts[0] + "/" + parts[1];
        var revision = Uri.UnescapeDataString(parts[3]);
        var fileName = Uri.UnescapeDataString(string.Join('/', parts[4..]));
        if (!repos.TryGetValue(repoId, out var repo))
        {
            Error(response, (int)MissingRepoStatus, "RepoNotFound");
            return;
        }
        if (revision != "main" && revision != repo.Commit)
        {
            Error(response, 404, "RevisionNotFound");
            return;
        }
        if (!repo.Files.TryGetValue(fileName, out var file))
        {
            Error(response, 404, "EntryNotFound");
            response.AddHeader("X-Repo-Commit", repo.Commit);
            return;
        }
        response.AddHeader("X-Repo-Commit", repo.Commit);
        if (file.IsLfs)
        {
            response.StatusCode = 302;
            response.AddHeader("X-Linked-Etag", $"\"{file.Sha256}\"");
            response.AddHeader("X-Linked-Size", file.Content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            response.AddHeader("ETag", $"\"{file.Sha256}\"");
            response.RedirectLocation = $"{Endpoint}/cdn/{file.Sha256}?file={Uri.EscapeDataString(fileName)}";
            return;
        }
        response.AddHeader("ETag", $"\"{file.GitSha1}\"");
        WriteBody(response, file.Content, 0, isHead);
    }

    private async Task ServeCdnAsync(string sha256, HttpListenerRequest request, HttpListenerResponse response)
    {
        var file = repos.Values.SelectMany(r => r.Files.Values).FirstOrDefault(f => f.Sha256 == sha256);
        if (file is null)
        {
            response.StatusCode = 404;
            return;
        }
        var content = file.Served;
        var start = ParseRangeStart(request.Headers["Range"]);
        if (start is { } from)
        {
            if (from >= content.Length)
            {
                response.StatusCode = 416;
                response.AddHeader("Content-Range", $"bytes */{content.Length}");
                return;
            }
            response.StatusCode = 206;
            response.AddHeader("Content-Range", $"bytes {from}-{content.Length - 1}/{content.Length}");
        }
        await WriteBodyAsync(response, content, start ?? 0, request.HttpMethod == "HEAD");
    }

    private static long? ParseRangeStart(string? range)
    {
        if (range is null || !range.StartsWith("bytes=", StringComparison.Ordinal) || !range.EndsWith('-'))
            return null;
        return long.Parse(range["bytes=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Error(HttpListenerResponse response, int status, string code)
    {
        response.StatusCode = status;
        response.AddHeader("X-Error-Code", code);
        response.AddHeader("X-Error-Message", code);
    }

    private static void WriteBody(HttpListenerResponse response, byte[] content, long from, bool isHead) =>
        WriteBodyAsync(response, content, from, isHead).GetAwaiter().GetResult();

    private static async Task WriteBodyAsync(HttpListenerResponse response, byte[] content, long from, bool isHead)
    {
        response.ContentLength64 = content.Length - from;
        if (!isHead && response.ContentLength64 > 0)
            await response.OutputStream.WriteAsync(content.AsMemory((int)from));
    }

    internal sealed record RecordedRequest(string Method, string Path, string? Range, string? Authorization);

    internal sealed class FakeRepo(string commit)
    {
        public string Commit { get; } = commit;

        public ConcurrentDictionary<string, FakeFile> Files { get; } = new(StringComparer.Ordinal);

        public FakeRepo Add(string name, byte[] content, bool lfs)
        {
            Files[name] = new FakeFile(content, lfs);
            return this;
        }

        /// <summary>Adds fixture files: .safetensors as LFS files like on the real Hub, the rest as plain git files.</summary>
        public FakeRepo AddFixture(string directory, params string[] names)
        {
            foreach (var name in names)
                Add(name, File.ReadAllBytes(Path.Combine(directory, name)), name.EndsWith(".safetensors", StringComparison.Ordinal));
            return this;
        }
    }

    internal sealed class FakeFile(byte[] content, bool lfs)
    {
        public byte[] Content { get; } = content;

        public bool IsLfs { get; } = lfs;

        public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(content));

        // The Hub's ETag for a non-LFS file is its git blob id: sha1 of "blob <size>\0" + content.
#pragma warning disable CA5350 // git defines blob ids with SHA-1; this is an identifier, not security.
        public string GitSha1 { get; } = Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {content.Length}\0"), .. content]));
#pragma warning restore CA5350

        /// <summary>What the CDN actually sends; a test can set different bytes to simulate corruption.</summary>
        public byte[] Served { get; set; } = content;
    }
}
