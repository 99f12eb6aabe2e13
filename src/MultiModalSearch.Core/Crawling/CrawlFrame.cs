using MultiModalSearch.FileSystem;

namespace MultiModalSearch.Core.Crawling;

/// <summary>One open directory on the crawl's depth-first stack: its sorted entries and where the walk is in them.</summary>
internal sealed class CrawlFrame(string path, string realPath, string relativePath, bool viaLink, List<DirectoryEntry> entries)
{
    private int next;

    public string Path { get; } = path;

    public string RealPath { get; } = realPath;

    /// <summary>'/'-separated path below the root; empty for the root itself.</summary>
    public string RelativePath { get; } = relativePath;

    /// <summary>Entered through a directory link (here or above), so its files may also be reached by other links.</summary>
    public bool ViaLink { get; } = viaLink;

    public bool TryNext(out DirectoryEntry entry)
    {
        if (next < entries.Count)
        {
            entry = entries[next++];
            return true;
        }

        entry = null!;
        return false;
    }

    public string ChildRelativePath(string name) => RelativePath.Length == 0 ? name : RelativePath + "/" + name;
}
