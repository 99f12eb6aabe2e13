using MultiModalSearch.Models.Hub;
using MultiModalSearch.Models.Resolution;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Hub;

public sealed class ModelResolverTests : IDisposable
{
    private const string RepoId = "test-org/clip-tiny";
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private const string RepoFolder = "models--test-org--clip-tiny";

    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "fixtures", "clip-tiny");

    private static readonly string[] TextFiles =
        ["config.json", "preprocessor_config.json", "vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"];

    private readonly FakeHubServer server = new();
    private readonly TemporaryDirectory cache = new();

    public void Dispose()
    {
        server.Dispose();
        cache.Dispose();
    }

    [Fact]
    public async Task FreshDownloadLaysOutBlobsSnapshotsAndRefsLikeHuggingfaceHub()
    {
        AddClipRepo();
        var progress = new RecordingProgress();

        var folder = await Resolver().ResolveAsync(RepoId, progress);

        var repoDir = Path.Combine(cache.Path, RepoFolder);
        Assert.Equal(Path.Combine(repoDir, "snapshots", Commit), folder);
        Assert.Equal(Commit, File.ReadAllText(Path.Combine(repoDir, "refs", "main")));
        foreach (var name in TextFiles.Append("model.safetensors"))
            Assert.Equal(File.ReadAllBytes(Path.Combine(Fixture, name)), File.ReadAllBytes(Path.Combine(folder, name)));

        var weights = server.FileOf(RepoId, "model.safetensors");
        Assert.Equal($"../../blobs/{weights.Sha256}", new FileInfo(Path.Combine(folder, "model.safetensors")).LinkTarget);
        Assert.True(File.Exists(Path.Combine(repoDir, "blobs", weights.Sha256)));
        var config = server.FileOf(RepoId, "config.json");
        Assert.True(File.Exists(Path.Combine(repoDir, "blobs", config.GitSha1)), "plain git files are stored under their git blob id");
        Assert.Empty(Directory.GetFiles(Path.Combine(repoDir, "blobs"), "*.incomplete"));
        Assert.True(File.Exists(Path.Combine(cache.Path, ".locks", RepoFolder, weights.Sha256 + ".lock")));

        var last = progress.Reports.Last(r => r.FileName == "model.safetensors");
        Assert.Equal(weights.Content.Length, last.BytesDone);
        Assert.Equal(weights.Content.Length, last.TotalBytes);
        Assert.DoesNotContain(server.Requests, r => r.Path.EndsWith(".bin", StringComparison.Ordinal));
        Assert.All(server.Requests, r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task SecondCallOnABranchMakesOneHeadAndNoneOfflineOrByCommit()
    {
        AddClipRepo();
        var first = await Resolver().ResolveAsync(RepoId);
        server.Requests.Clear();

        Assert.Equal(first, await Resolver().ResolveAsync(RepoId));
        var only = Assert.Single(server.Requests);
        Assert.Equal(("HEAD", $"/{RepoId}/resolve/main/config.json"), (only.Method, only.Path));

        server.Requests.Clear();
        Assert.Equal(first, await Resolver(offline: true).ResolveAsync(RepoId));
        Assert.Equal(first, await Resolver().ResolveAsync($"{RepoId}@{Commit}"));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task UnreachableHubFallsBackToTheCachedSnapshot()
    {
        AddClipRepo();
        var first = await Resolver().ResolveAsync(RepoId);

        var resolver = new ModelResolver(Options() with { Endpoint = ClosedPortEndpoint() });

        Assert.Equal(first, await resolver.ResolveAsync(RepoId));
    }

    [Fact]
    public async Task PartialDownloadIsResumedWithARangeRequestAndVerified()
    {
        AddClipRepo();
        var weights = server.FileOf(RepoId, "model.safetensors");
        var blobs = Path.Combine(cache.Path, RepoFolder, "blobs");
        Directory.CreateDirectory(blobs);
        const int Prefix = 1 << 20;
        File.WriteAllBytes(Path.Combine(blobs, weights.Sha256 + ".incomplete"), weights.Content[..Prefix]);
        var progress = new RecordingProgress();

        var folder = await Resolver().ResolveAsync(RepoId, progress);

        var cdn = Assert.Single(server.Requests, r => r.Method == "GET" && r.Path == $"/cdn/{weights.Sha256}");
        Assert.Equal($"bytes={Prefix}-", cdn.Range);
        Assert.Equal(weights.Content, File.ReadAllBytes(Path.Combine(folder, "model.safetensors")));
        Assert.Equal(Prefix, progress.Reports.First(r => r.FileName == "model.safetensors").BytesDone);
    }

    [Fact]
    public async Task ChecksumMismatchIsRefusedAndNothingIsKept()
    {
        AddClipRepo();
        var weights = server.FileOf(RepoId, "model.safetensors");
        var tampered = weights.Content.ToArray();
        tampered[^1] ^= 0xFF;
        weights.Served = tampered;

        var error = await Assert.ThrowsAsync<ModelNotAvailableException>(() => Resolver().ResolveAsync(RepoId));

        Assert.Equal(ModelUnavailableReason.Corrupt, error.Reason);
        Assert.Contains("model.safetensors", error.Message, StringComparison.Ordinal);
        Assert.Contains(weights.Sha256, error.Message, StringComparison.Ordinal);
        var repoDir = Path.Combine(cache.Path, RepoFolder);
        Assert.False(File.Exists(Path.Combine(repoDir, "blobs", weights.Sha256)));
        Assert.False(File.Exists(Path.Combine(repoDir, "blobs", weights.Sha256 + ".incomplete")));
        Assert.False(File.Exists(Path.Combine(repoDir, "snapshots", Commit, "model.safetensors")));
    }

    [Fact]
    public async Task ShardedSafetensorsAreDownloadedFromTheIndex()
    {
        // The resolver never parses safetensors, so two halves of the fixture serve as shards.
        var whole = File.ReadAllBytes(Path.Combine(Fixture, "model.safetensors"));
        byte[][] shards = [whole[..(whole.Length / 2)], whole[(whole.Length / 2)..]];
        const string Index = """{"metadata":{"total_size":1},"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors","c":"model-00001-of-00002.safetensors"}}""";
        server.AddRepo(RepoId, Commit)
            .AddFixture(Fixture, TextFiles)
            .Add("model.safetensors.index.json", System.Text.Encoding.UTF8.GetBytes(Index), lfs: false)
            .Add("model-00001-of-00002.safetensors", shards[0], lfs: true)
            .Add("model-00002-of-00002.safetensors", shards[1], lfs: true);

        var folder = await Resolver().ResolveAsync(RepoId);

        Assert.Equal(shards[0], File.ReadAllBytes(Path.Combine(folder, "model-00001-of-00002.safetensors")));
        Assert.Equal(shards[1], File.ReadAllBytes(Path.Combine(folder, "model-00002-of-00002.safetensors")));
        Assert.Equal(Index, File.ReadAllText(Path.Combine(folder, "model.safetensors.index.json")));
        Assert.False(File.Exists(Path.Combine(folder, "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(cache.Path, RepoFolder, ".no_exist", Commit, "model.safetensors")));

        server.Requests.Clear();
        Assert.Equal(folder, await Resolver().ResolveAsync(RepoId));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task OpenClipWeightsAreTheLastResort()
    {
        server.AddRepo(RepoId, Commit).AddFixture(Fixture, [.. TextFiles, "open_clip_model.safetensors"]);

        var folder = await Resolver().ResolveAsync(RepoId);

        Assert.Equal(File.ReadAllBytes(Path.Combine(Fixture, "open_clip_model.safetensors")),
            File.ReadAllBytes(Path.Combine(folder, "open_clip_model.safetensors")));
    }

    [Fact]
    public async Task PickleOnlyRepositoryIsRefusedWithoutDownloadingIt()
    {
        server.AddRepo(RepoId, Commit).AddFixture(Fixture, TextFiles).Add("pytorch_model.bin", [1, 2, 3], lfs: true);

        var error = await Assert.ThrowsAsync<ModelNotAvailableException>(() => Resolver().ResolveAsync(RepoId));

        Assert.Equal(ModelUnavailableReason.PickleWeightsOnly, error.Reason);
        Assert.Contains("pytorch_model.bin", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Requests, r => r.Method == "GET" && r.Path.StartsWith("/cdn/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MissingOptionalFileIsRememberedSoTheNextRunAsksOnce()
    {
        server.AddRepo(RepoId, Commit).AddFixture(Fixture, [.. TextFiles.Where(f => f != "special_tokens_map.json"), "model.safetensors"]);

        var folder = await Resolver().ResolveAsync(RepoId);
        server.Requests.Clear();
        await Resolver().ResolveAsync(RepoId);

        Assert.False(File.Exists(Path.Combine(folder, "special_tokens_map.json")));
        Assert.True(File.Exists(Path.Combine(cache.Path, RepoFolder, ".no_exist", Commit, "special_tokens_map.json")));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task OfflineWithoutCacheSaysWhatToDownloadOnOneLine()
    {
        var error = await Assert.ThrowsAsync<ModelNotAvailableException>(
            () => Resolver(offline: true).ResolveAsync("openai/clip-vit-base-patch32"));

        Assert.Equal(ModelUnavailableReason.HubUnreachable, error.Reason);
        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith("Model 'openai/clip-vit-base-patch32' is not in the cache", error.Message, StringComparison.Ordinal);
        Assert.Contains("offline mode is on (HF_HUB_OFFLINE)", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(
            $"download config.json, model.safetensors, preprocessor_config.json, vocab.json, merges.txt from {server.Endpoint}/openai/clip-vit-base-patch32 into a folder and use that folder as the model.",
            error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task RefusedConnectionWithoutCacheSaysTheHubCouldNotBeReached()
    {
        var endpoint = ClosedPortEndpoint();
        var resolver = new ModelResolver(Options() with { Endpoint = endpoint });

        var error = await Assert.ThrowsAsync<ModelNotAvailableException>(() => resolver.ResolveAsync(RepoId + "@v1.0"));

        Assert.Equal(ModelUnavailableReason.HubUnreachable, error.Reason);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains($"Model '{RepoId}@v1.0'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"the Hugging Face Hub at {endpoint} could not be reached", error.Message, StringComparison.Ordinal);
        Assert.Contains($"from {endpoint}/{RepoId}/tree/v1.0 into a folder and use that folder as the model", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(401)]
    public async Task UnknownRepositoryGivesAClearMessage(int status)
    {
        server.MissingRepoStatus = (System.Net.HttpStatusCode)status;

        var error = await Assert.ThrowsAsync<ModelNotAvailableException>(() => Resolver().ResolveAsync("nobody/nothing"));

        Assert.Equal(ModelUnavailableReason.NotFound, error.Reason);
        Assert.Equal(
            $"Model 'nobody/nothing' was not found on {server.Endpoint} (HTTP {status}): check the id, or if it is private or gated set HF_TOKEN to a token that can read it.",
            error.Message);
    }

    [Fact]
    public async Task UnknownRevisionGivesAClearMessage()
    {
        AddClipRepo();

        var error = await Assert.ThrowsAsync<ModelNotAvailableException>(() => Resolver().ResolveAsync(RepoId + "@nope"));

        Assert.Equal(ModelUnavailableReason.RevisionNotFound, error.Reason);
        Assert.Contains("no revision 'nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenIsSentAsBearer()
    {
        AddClipRepo();

        await new ModelResolver(Options() with { Token = "hf_secret" }).ResolveAsync(RepoId);

        Assert.All(server.Requests, r => Assert.Equal("Bearer hf_secret", r.Authorization));
        Assert.DoesNotContain("hf_secret", (Options() with { Token = "hf_secret" }).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentResolversDownloadEachBlobOnce()
    {
        AddClipRepo();
        var weights = server.FileOf(RepoId, "model.safetensors");

        var folders = await Task.WhenAll(Resolver().ResolveAsync(RepoId), Resolver().ResolveAsync(RepoId));

        Assert.Equal(folders[0], folders[1]);
        Assert.Single(server.Requests, r => r.Method == "GET" && r.Path == $"/cdn/{weights.Sha256}");
        Assert.Equal(weights.Content, File.ReadAllBytes(Path.Combine(folders[0], "model.safetensors")));
    }

    [Fact]
    public async Task ExistingFolderIsReturnedAsIs()
    {
        var folder = await Resolver().ResolveAsync(Fixture);

        Assert.Equal(Path.GetFullPath(Fixture), folder);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task FolderWithoutWeightsNamesWhatIsMissingAndRefusesPickles()
    {
        var folder = Path.Combine(cache.Path, "local");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "pytorch_model.bin"), "pickle");

        var error = await Assert.ThrowsAsync<ModelNotAvailableException>(() => Resolver().ResolveAsync(folder));

        Assert.Equal(ModelUnavailableReason.MissingFiles, error.Reason);
        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("model.safetensors", error.Message, StringComparison.Ordinal);
        Assert.Contains("pytorch_model.bin", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("just-a-name")]
    [InlineData("a/b/c")]
    [InlineData("org/na--me")]
    public async Task NeitherFolderNorHubIdIsRejected(string text)
    {
        var error = await Assert.ThrowsAsync<ModelNotAvailableException>(() => Resolver().ResolveAsync(text));

        Assert.Equal(ModelUnavailableReason.InvalidId, error.Reason);
        Assert.Empty(server.Requests);
    }

    private void AddClipRepo() =>
        server.AddRepo(RepoId, Commit).AddFixture(Fixture, [.. TextFiles, "model.safetensors"]);

    private HubOptions Options() => new() { Endpoint = server.Endpoint, CacheDirectory = cache.Path };

    private ModelResolver Resolver(bool offline = false) => new(Options() with { Offline = offline });

    private static string ClosedPortEndpoint()
    {
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return $"http://127.0.0.1:{port}";
    }

    /// <summary>Records synchronously: Progress&lt;T&gt; would post to the thread pool and race the assertions.</summary>
    private sealed class RecordingProgress : IProgress<DownloadProgress>
    {
        private readonly List<DownloadProgress> reports = [];

        public IReadOnlyList<DownloadProgress> Reports
        {
            get
            {
                lock (reports)
                    return [.. reports];
            }
        }

        public void Report(DownloadProgress value)
        {
            lock (reports)
                reports.Add(value);
        }
    }
}
