namespace MultiModalSearch.Models.Hub;

/// <summary>
/// Paths of one repository inside the Hugging Face cache, laid out exactly as huggingface_hub does so that Python
/// and this program share downloads:
/// <c>models--org--name/{blobs/&lt;etag&gt;, snapshots/&lt;commit&gt;/&lt;file&gt;, refs/&lt;revision&gt;, .no_exist/&lt;commit&gt;/&lt;file&gt;}</c>
/// and <c>.locks/models--org--name/&lt;etag&gt;.lock</c>.
/// </summary>
internal sealed class HubCacheLayout(string cacheDirectory, HubRepoId id)
{
    public string RepoDirectory { get; } = Path.Combine(cacheDirectory, id.CacheFolderName);

    public string BlobPath(string etag) => Path.Combine(RepoDirectory, "blobs", etag);

    public string IncompletePath(string etag) => BlobPath(etag) + ".incomplete";

    public string LockPath(string etag) => Path.Combine(cacheDirectory, ".locks", id.CacheFolderName, etag + ".lock");

    public string SnapshotDirectory(string commit) => Path.Combine(RepoDirectory, "snapshots", commit);

    public string SnapshotFile(string commit, string fileName) => Combine(SnapshotDirectory(commit), fileName);

    public bool HasSnapshotFile(string commit, string fileName) => File.Exists(SnapshotFile(commit, fileName));

    /// <summary>The commit a revision maps to locally: itself for a commit hash, else the content of refs/&lt;revision&gt;.</summary>
    public string? ResolveCommit(string revision)
    {
        if (HubRepoId.IsCommitHash(revision))
            return revision;
        var refPath = Combine(Path.Combine(RepoDirectory, "refs"), revision);
        if (!File.Exists(refPath))
            return null;
        var commit = File.ReadAllText(refPath).Trim();
        return HubRepoId.IsCommitHash(commit) ? commit : null;
    }

    public void WriteRef(string revision, string commit)
    {
        if (revision == commit)
            return;
        var refPath = Combine(Path.Combine(RepoDirectory, "refs"), revision);
        if (File.Exists(refPath) && File.ReadAllText(refPath).Trim() == commit)
            return;
        WriteAtomically(refPath, commit);
    }

    /// <summary>huggingface_hub remembers files that 404 at a commit so that later runs need not ask again.</summary>
    public void MarkMissing(string commit, string fileName)
    {
        var path = Combine(Path.Combine(RepoDirectory, ".no_exist", commit), fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (File.Create(path)) { }
    }

    public bool IsMarkedMissing(string commit, string fileName) =>
        File.Exists(Combine(Path.Combine(RepoDirectory, ".no_exist", commit), fileName));

    /// <summary>
    /// Points snapshots/&lt;commit&gt;/&lt;file&gt; at the blob with a relative symlink (what huggingface_hub makes),
    /// or copies the blob where the file system or the OS refuses symlinks.
    /// </summary>
    public void LinkIntoSnapshot(string commit, string fileName, string blobPath)
    {
        var pointer = SnapshotFile(commit, fileName);
        var directory = Path.GetDirectoryName(pointer)!;
        Directory.CreateDirectory(directory);
        // Build under a unique name and rename over the target: concurrent resolvers never see a half-made entry.
        var temp = pointer + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            File.CreateSymbolicLink(temp, Path.GetRelativePath(directory, blobPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            File.Delete(temp);
            File.Copy(blobPath, temp);
        }
        File.Move(temp, pointer, overwrite: true);
    }

    private static void WriteAtomically(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, path, overwrite: true);
    }

    // Hub file names and revisions use '/' whatever the OS; refuse anything that would climb out of the folder.
    private static string Combine(string directory, string relative)
    {
        var parts = relative.Split('/');
        if (Path.IsPathRooted(relative) || parts.Any(p => p is "" or "." or ".." || p.Contains('\\', StringComparison.Ordinal)))
            throw new ArgumentException($"Unsafe path '{relative}' in a Hub repository.", nameof(relative));
        return Path.Combine([directory, .. parts]);
    }
}
