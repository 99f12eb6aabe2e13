using MultiModalSearch.Models.Hub;

namespace MultiModalSearch.Models.Resolution;

/// <summary>
/// Turns the <c>--model</c> argument into a local folder holding the model files: an existing folder is checked and
/// returned, anything else is read as a Hugging Face Hub id (<c>org/name</c> or <c>org/name@revision</c>) and
/// served from, or downloaded into, the cache shared with Python's huggingface_hub.
/// </summary>
public sealed class ModelResolver
{
    private readonly HubOptions options;
    private readonly HttpClient http;

    /// <param name="options">Hub endpoint, cache and token (the hosts read them as huggingface_hub does: <see cref="HubOptions.FromEnvironment"/>).</param>
    public ModelResolver(HubOptions options)
    {
        this.options = options;
        http = HubHttpClient.Shared;
    }

    public HubOptions Options => options;

    /// <summary>
    /// Returns the folder with the model files. Requests: none for a complete cached snapshot of a commit hash or in
    /// offline mode; one HEAD to learn the commit of a branch or tag, and nothing more when that commit is cached.
    /// </summary>
    /// <exception cref="ModelNotAvailableException">The model cannot be made available; the message says why and what to do.</exception>
    public async Task<string> ResolveAsync(string modelIdOrPath, IProgress<DownloadProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelIdOrPath);
        if (Directory.Exists(modelIdOrPath))
            return CheckLocalFolder(modelIdOrPath);
        if (!HubRepoId.TryParse(modelIdOrPath, out var id))
            throw new ModelNotAvailableException(modelIdOrPath, ModelUnavailableReason.InvalidId,
                $"Model '{modelIdOrPath}' is neither an existing folder nor a Hugging Face Hub id like 'openai/clip-vit-base-patch32' (optionally '@revision').");

        var cache = new HubCacheLayout(options.CacheDirectory, id);
        if (options.Offline)
            return FromCache(cache, id, "offline mode is on (HF_HUB_OFFLINE)");
        if (HubRepoId.IsCommitHash(id.Revision) && ModelFileSet.IsSnapshotComplete(cache, id.Revision, strict: true))
            return cache.SnapshotDirectory(id.Revision);
        try
        {
            var hub = new HubHttpClient(http, options, id);
            return await new HubSnapshotDownloader(hub, cache, id, options.Endpoint).DownloadAsync(progress, ct);
        }
        catch (HubUnreachableException e)
        {
            return FromCache(cache, id, $"the Hugging Face Hub at {options.Endpoint} could not be reached ({OneLine(e.Message)})");
        }
    }

    private static string CheckLocalFolder(string folder)
    {
        var full = Path.GetFullPath(folder);
        var problem = ModelFileSet.DescribeLocalFolderProblem(full);
        return problem is null
            ? full
            : throw new ModelNotAvailableException(folder, ModelUnavailableReason.MissingFiles, problem);
    }

    // Like huggingface_hub: with no answer from the Hub a cached snapshot of the revision is good enough.
    private string FromCache(HubCacheLayout cache, HubRepoId id, string why)
    {
        var commit = cache.ResolveCommit(id.Revision);
        if (commit is not null && ModelFileSet.IsSnapshotComplete(cache, commit, strict: false))
            return cache.SnapshotDirectory(commit);
        var page = $"{options.Endpoint}/{id.RepoId}" + (id.Revision == HubRepoId.DefaultRevision ? "" : $"/tree/{id.Revision}");
        throw new ModelNotAvailableException(id.DisplayName, ModelUnavailableReason.HubUnreachable,
            $"Model '{id.DisplayName}' is not in the cache ({options.CacheDirectory}) and {why}: download {CachedFileSet(cache, commit).ManualDownloadList} from {page} into a folder and use that folder as the model.");
    }

    // A partial snapshot's config.json tells which files this kind needs; without one, the default model's are named.
    private static ModelFileSet CachedFileSet(HubCacheLayout cache, string? commit)
    {
        try
        {
            var kind = commit is null ? null : ModelFileSet.SnapshotKind(cache, commit, strict: false);
            return kind is null ? ModelFileSet.Default : ModelFileSet.For(kind.Value);
        }
        catch (Exception e) when (e is UnsupportedModelException or IOException)
        {
            return ModelFileSet.Default;
        }
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
