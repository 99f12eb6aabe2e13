namespace MultiModalSearch.Testing;

/// <summary>Folders the repository ships (bundled models, samples), found above the test binaries.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string EmojiLlava => Path.Combine(Root, "models", "emoji-llava");

    public static string IllustratedSample => Path.Combine(Root, "samples", "illustrated");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MultiModalSearch.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("the repository (MultiModalSearch.sln) was not found above the test binaries");
    }
}
