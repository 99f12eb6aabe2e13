namespace MultiModalSearch.Models.Hub;

/// <summary>
/// Exclusive lock on <c>.locks/models--org--name/&lt;etag&gt;.lock</c> while one blob is written. On Unix .NET takes
/// a BSD <c>flock</c> for <see cref="FileShare.None"/>, the same lock Python's <c>filelock</c> takes on that same
/// path, so this program and huggingface_hub never write one blob at once.
/// </summary>
internal sealed class BlobLock : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly FileStream handle;

    private BlobLock(FileStream handle) => this.handle = handle;

    public static async Task<BlobLock> AcquireAsync(string path, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                return new BlobLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                // Held by another process (or resolver): it is downloading this very blob; wait for it.
                await Task.Delay(PollInterval, ct);
            }
        }
    }

    // The lock file is left in place, as filelock does: deleting it would let a waiter lock an unlinked inode.
    public void Dispose() => handle.Dispose();
}
