using System.Net;
using System.Security.Cryptography;
using MultiModalSearch.Models.Resolution;

namespace MultiModalSearch.Models.Hub;

/// <summary>
/// Fetches one blob into the cache: streams into <c>blobs/&lt;etag&gt;.incomplete</c>, resumes a previous partial
/// file with a Range request, checks size and (for LFS files) sha256, then renames it into place so a blob that
/// exists is always whole.
/// </summary>
internal sealed class BlobDownloader(HubHttpClient hub, HubCacheLayout cache, string modelName)
{
    private const int BufferSize = 1 << 16;
    private const long ReportEvery = 1 << 20;

    /// <summary>Returns the path of the complete blob, downloading it unless it is already cached.</summary>
    public async Task<string> EnsureBlobAsync(HubFileMetadata file, string fileName, IProgress<DownloadProgress>? progress, CancellationToken ct = default)
    {
        var blob = cache.BlobPath(file.Etag);
        if (File.Exists(blob))
            return blob;
        using var fileLock = await BlobLock.AcquireAsync(cache.LockPath(file.Etag), ct);
        // Whoever held the lock before us may have just finished this blob.
        if (File.Exists(blob))
            return blob;
        var incomplete = cache.IncompletePath(file.Etag);
        await DownloadAsync(file, fileName, incomplete, progress, ct);
        File.Move(incomplete, blob, overwrite: true);
        return blob;
    }

    private async Task DownloadAsync(HubFileMetadata file, string fileName, string incomplete, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(incomplete)!);
        using var hash = file.IsSha256Etag ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        await using (var output = new FileStream(incomplete, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, BufferSize, useAsync: true))
        {
            var offset = await HashExistingPrefixAsync(output, file, hash, ct);
            // A previous run may have died between the last byte and the rename: nothing left to fetch.
            if (offset == 0 || offset != file.Size)
                await FetchFromAsync(file, fileName, output, offset, hash, progress, ct);
        }
        Verify(file, fileName, incomplete, hash);
    }

    private async Task FetchFromAsync(HubFileMetadata file, string fileName, FileStream output, long offset,
        IncrementalHash? hash, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        var response = await hub.GetAsync(file.Location, offset, ct);
        try
        {
            // Anything but the exact range asked for (200, 416, another start) means: start over from byte 0.
            if (response.StatusCode != HttpStatusCode.PartialContent || response.Content.Headers.ContentRange?.From != offset)
            {
                offset = await RestartAsync(output, hash, ct);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    response.Dispose();
                    response = await hub.GetAsync(file.Location, 0, ct);
                }
            }
            await CopyBodyAsync(response, output, hash, new Reporter(progress, fileName, file.Size, offset), ct);
        }
        finally
        {
            response.Dispose();
        }
    }

    // Resuming needs the hash of the bytes already on disk, so they are read once before the download continues.
    private static async Task<long> HashExistingPrefixAsync(FileStream output, HubFileMetadata file, IncrementalHash? hash, CancellationToken ct)
    {
        if (file.Size is { } size && output.Length > size)
            output.SetLength(0);
        if (hash is not null)
        {
            var buffer = new byte[BufferSize];
            int read;
            while ((read = await output.ReadAsync(buffer, ct)) > 0)
                hash.AppendData(buffer, 0, read);
        }
        output.Seek(0, SeekOrigin.End);
        return output.Length;
    }

    private static async Task<long> RestartAsync(FileStream output, IncrementalHash? hash, CancellationToken ct)
    {
        await output.FlushAsync(ct);
        output.SetLength(0);
        output.Seek(0, SeekOrigin.Begin);
        // Drain whatever the hasher holds; GetHashAndReset leaves it empty for the new start.
        hash?.GetHashAndReset();
        return 0;
    }

    private async Task CopyBodyAsync(HttpResponseMessage response, FileStream output, IncrementalHash? hash, Reporter reporter, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
            throw new HubUnreachableException($"{response.RequestMessage?.RequestUri?.Host} answered HTTP {(int)response.StatusCode} to a download");
        reporter.Start(response.Content.Headers.ContentLength);
        var buffer = new byte[BufferSize];
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        while (true)
        {
            var read = await ReadNetworkAsync(body, buffer, ct);
            if (read == 0)
                break;
            hash?.AppendData(buffer, 0, read);
            await output.WriteAsync(buffer.AsMemory(0, read), ct);
            reporter.Advance(read);
        }
        reporter.Finish();
    }

    // A dropped connection mid-body is a network failure (the partial file stays for the next resume), not a local I/O error.
    private static async Task<int> ReadNetworkAsync(Stream body, byte[] buffer, CancellationToken ct)
    {
        try
        {
            return await body.ReadAsync(buffer, ct);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new HubUnreachableException($"the download was interrupted ({e.Message})", e);
        }
    }

    private void Verify(HubFileMetadata file, string fileName, string incomplete, IncrementalHash? hash)
    {
        var length = new FileInfo(incomplete).Length;
        string? problem = null;
        if (file.Size is { } size && length != size)
            problem = $"{length} bytes arrived where {size} were announced";
        else if (hash is not null && Convert.ToHexStringLower(hash.GetHashAndReset()) is var actual && actual != file.Etag)
            problem = $"its sha256 is {actual}, the Hub says {file.Etag}";
        if (problem is null)
            return;
        // A wrong file must not be resumed from next time: start clean.
        File.Delete(incomplete);
        throw new ModelNotAvailableException(modelName, ModelUnavailableReason.Corrupt,
            $"Model '{modelName}': the download of {fileName} is corrupt ({problem}); it was deleted, try again.");
    }

    /// <summary>Throttles progress reports so a multi-gigabyte file does not flood the UI thread.</summary>
    private sealed class Reporter(IProgress<DownloadProgress>? progress, string fileName, long? announcedSize, long done)
    {
        private long total = announcedSize ?? -1;
        private long lastReported = -1;

        public void Start(long? bodyLength)
        {
            if (total < 0 && bodyLength is { } body)
                total = done + body;
            Report();
        }

        public void Advance(int bytes)
        {
            done += bytes;
            if (done - lastReported >= ReportEvery)
                Report();
        }

        public void Finish()
        {
            if (lastReported != done)
                Report();
        }

        private void Report()
        {
            lastReported = done;
            progress?.Report(new DownloadProgress(fileName, done, total < 0 ? null : total));
        }
    }
}
