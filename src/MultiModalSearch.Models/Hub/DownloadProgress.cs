namespace MultiModalSearch.Models.Hub;

/// <summary>Progress of one file download; <see cref="TotalBytes"/> is null when the server did not say.</summary>
public readonly record struct DownloadProgress(string FileName, long BytesDone, long? TotalBytes)
{
    public bool IsComplete => TotalBytes is { } total && BytesDone >= total;
}
