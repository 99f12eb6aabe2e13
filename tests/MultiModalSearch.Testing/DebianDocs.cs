namespace MultiModalSearch.Testing;

/// <summary>
/// The four Debian 12 manuals scripts/setup.sh unpacks into .mms/data/debian-docs (graphviz-doc: dotguide, neatoguide,
/// smyrna; ghostscript-doc: GS9_Color_Management). Not committed; a test that needs them fails with what to run.
/// </summary>
public static class DebianDocs
{
    public static readonly string[] Names = ["dotguide.pdf", "neatoguide.pdf", "smyrna.pdf", "GS9_Color_Management.pdf"];

    public static string Folder
    {
        get
        {
            string? dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Combine(dir, "MultiModalSearch.sln")))
                dir = Path.GetDirectoryName(dir);
            return Path.Combine(dir ?? ".", ".mms", "data", "debian-docs");
        }
    }

    public static string PathOf(string name)
    {
        string path = Path.Combine(Folder, name);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: run scripts/setup.sh, which fetches graphviz-doc and ghostscript-doc into {Folder}", path);
        return path;
    }
}
