using MultiModalSearch.Models.Checkpoints;
using MultiModalSearch.Models.Resolution;

namespace MultiModalSearch.Models.Hub;

/// <summary>
/// The online path: pins the revision to a commit with one HEAD, then brings every wanted file of that commit into
/// the cache. Later files are asked for by commit hash, so a branch moving mid-download cannot mix two versions.
/// </summary>
internal sealed class HubSnapshotDownloader(HubHttpClient hub, HubCacheLayout cache, HubRepoId id, string endpoint)
{
    private readonly BlobDownloader blobs = new(hub, cache, id.DisplayName);

    public async Task<string> DownloadAsync(IProgress<DownloadProgress>? progress, CancellationToken ct = default)
    {
        var config = await hub.HeadAsync(id.Revision, ModelFileSet.Config, ct) ?? throw MissingOnHub(ModelFileSet.Config);
        var commit = config.CommitHash;
        if (!HubRepoId.IsCommitHash(commit))
            throw new ModelNotAvailableException(id.DisplayName, ModelUnavailableReason.ProtocolError,
                $"Model '{id.DisplayName}': {endpoint} sent '{commit}' as X-Repo-Commit, which is not a commit hash.");
        cache.WriteRef(id.Revision, commit);
        // Same commit as a complete earlier download: this HEAD was the only request.
        if (ModelFileSet.IsSnapshotComplete(cache, commit, strict: true))
            return cache.SnapshotDirectory(commit);

        await StoreAsync(commit, ModelFileSet.Config, config, progress, ct);
        foreach (var name in ModelFileSet.Required.Skip(1))
            _ = await EnsureFileAsync(commit, name, required: true, progress, ct);
        foreach (var name in ModelFileSet.Optional)
            _ = await EnsureFileAsync(commit, name, required: false, progress, ct);
        await EnsureWeightsAsync(commit, progress, ct);
        return cache.SnapshotDirectory(commit);
    }

    // Preference order: one safetensors file, a sharded safetensors set, then the OpenCLIP file.
    private async Task EnsureWeightsAsync(string commit, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        if (await EnsureFileAsync(commit, ModelFileSet.Safetensors, required: false, progress, ct))
            return;
        if (await EnsureFileAsync(commit, ModelFileSet.ShardIndex, required: false, progress, ct))
        {
            foreach (var shard in ReadShardNames(commit))
                _ = await EnsureFileAsync(commit, shard, required: true, progress, ct);
            return;
        }
        if (await EnsureFileAsync(commit, ModelFileSet.OpenClipSafetensors, required: false, progress, ct))
            return;
        throw await NoSafetensorsAsync(commit, ct);
    }

    /// <summary>True when the file is in the snapshot afterwards; false for an optional file the repository lacks.</summary>
    private async Task<bool> EnsureFileAsync(string commit, string name, bool required, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        if (cache.HasSnapshotFile(commit, name))
            return true;
        if (!required && cache.IsMarkedMissing(commit, name))
            return false;
        var metadata = await hub.HeadAsync(commit, name, ct);
        if (metadata is null)
        {
            if (required)
                throw MissingOnHub(name);
            cache.MarkMissing(commit, name);
            return false;
        }
        await StoreAsync(commit, name, metadata, progress, ct);
        return true;
    }

    private async Task StoreAsync(string commit, string name, HubFileMetadata metadata, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        var blob = await blobs.EnsureBlobAsync(metadata, name, progress, ct);
        cache.LinkIntoSnapshot(commit, name, blob);
    }

    private IReadOnlyList<string> ReadShardNames(string commit)
    {
        try
        {
            return ShardIndexFile.ShardNames(File.ReadAllText(cache.SnapshotFile(commit, ModelFileSet.ShardIndex)));
        }
        catch (FormatException e)
        {
            throw new ModelNotAvailableException(id.DisplayName, ModelUnavailableReason.ProtocolError,
                $"Model '{id.DisplayName}' has an unusable {ModelFileSet.ShardIndex}: {e.Message}.");
        }
    }

    // Pickle weights are only looked for (HEAD) so the error can say why this repository cannot be used.
    private async Task<ModelNotAvailableException> NoSafetensorsAsync(string commit, CancellationToken ct)
    {
        var pickles = new List<string>();
        foreach (var name in ModelFileSet.PickleWeights)
        {
            if (await hub.HeadAsync(commit, name, ct) is not null)
                pickles.Add(name);
        }
        if (pickles.Count > 0)
            return new ModelNotAvailableException(id.DisplayName, ModelUnavailableReason.PickleWeightsOnly,
                $"Model '{id.DisplayName}' only has pickle weights ({string.Join(", ", pickles)}), which are never loaded because they can run code: use a repository with {ModelFileSet.Safetensors} or convert the weights to safetensors and use that folder as the model.");
        return new ModelNotAvailableException(id.DisplayName, ModelUnavailableReason.MissingFiles,
            $"Model '{id.DisplayName}' has no weights on {endpoint} ({ModelFileSet.Safetensors}, {ModelFileSet.ShardIndex} or {ModelFileSet.OpenClipSafetensors}).");
    }

    private ModelNotAvailableException MissingOnHub(string name) =>
        new(id.DisplayName, ModelUnavailableReason.MissingFiles,
            $"Model '{id.DisplayName}' has no {name} on {endpoint} (or the model does not exist): this program needs {ModelFileSet.ManualDownloadList}.");
}
