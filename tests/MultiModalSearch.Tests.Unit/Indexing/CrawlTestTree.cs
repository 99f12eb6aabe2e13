using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Indexing;

/// <summary>A real directory tree in a temp folder, removed on dispose.</summary>
public sealed class CrawlTestTree : IDisposable
{
    public CrawlTestTree()
    {
        Base = Directory.CreateTempSubdirectory("mms-crawl-").FullName;
        Root = Path.Combine(Base, "root");
        Directory.CreateDirectory(Root);
    }

    /// <summary>Holds <see cref="Root"/> and, beside it, places for link targets "outside" the root.</summary>
    public string Base { get; }

    public string Root { get; }

    public string File(string relative, int bytes = 3)
    {
        var path = Full(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, new byte[bytes]);
        return path;
    }

    public string Dir(string relative)
    {
        var path = Full(relative);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A link at <paramref name="relative"/> (below Root) whose stored target text is <paramref name="target"/>.</summary>
    public string Link(string relative, string target, bool directory)
    {
        var path = Full(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (directory)
        {
            Directory.CreateSymbolicLink(path, target);
        }
        else
        {
            System.IO.File.CreateSymbolicLink(path, target);
        }

        return path;
    }

    /// <summary>A path below <see cref="Base"/> (so "../x" is beside the root).</summary>
    public string Full(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    public void Dispose() => Directory.Delete(Base, recursive: true);
}
