using MultiModalSearch.Models.Checkpoints;
using MultiModalSearch.Models.Resolution;

namespace MultiModalSearch.Models.Hub;

/// <summary>
/// The online path: pins the revision to a commit with one HEAD, then brings every wanted file of that commit into
/// the cache. Later files are asked for by commit hash, so a branch moving mid-download cannot mix two versions.
/// Which files are wanted depends on the model's kind, read from its config.json once that is in.
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
        var files = await ChooseFilesAsync(commit, progress, ct);
        foreach (var alternatives in files.Required)
            await EnsureOneOfAsync(commit, alternatives, files, progress, ct);
        foreach (var name in files.OptionalIn(cache, commit))
            _ = await EnsureFileAsync(commit, name, required: false, progress, ct);
        await EnsureWeightsAsync(commit, progress, ct);
        return cache.SnapshotDirectory(commit);
    }

    // The kind, and so the file set, comes from config.json; a BERT config also needs to know whether modules.json
    // (sentence-transformers) exists, since that tells an embedder from a cross-encoder.
    private async Task<ModelFileSet> ChooseFilesAsync(string commit, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        try
        {
            var kind = ModelFileSet.SnapshotKind(cache, commit, strict: true);
            if (kind is null)
            {
                _ = await EnsureFileAsync(commit, ModelFileSet.Modules, required: false, progress, ct);
                kind = ModelFileSet.SnapshotKind(cache, commit, strict: true);
            }

            return ModelFileSet.For(kind!.Value);
        }
        catch (UnsupportedModelException e)
        {
            throw new ModelNotAvailableException(id.DisplayName, ModelUnavailableReason.Unsupported, $"Model '{id.DisplayName}': {e.Message}", e);
        }
    }

    // Every alternative present is taken (vocab.txt and tokenizer.json); at least one must exist. A missing file is
    // remembered like an optional one, so the error names this kind's files rather than the default model's.
    private async Task EnsureOneOfAsync(string commit, IReadOnlyList<string> alternatives, ModelFileSet files, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        var found = false;
        foreach (var name in alternatives)
            found |= await EnsureFileAsync(commit, name, required: false, progress, ct);
        if (!found)
            throw MissingOnHub(string.Join(" or ", alternatives), files);
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

    private ModelNotAvailableException MissingOnHub(string name, ModelFileSet? files = null) =>
        new(id.DisplayName, ModelUnavailableReason.MissingFiles,
            $"Model '{id.DisplayName}' has no {name} on {endpoint} (or the model does not exist): this program needs {(files ?? ModelFileSet.Default).ManualDownloadList}.");
}
