namespace MultiModalSearch.Bench;

/// <summary>Where the benchmarks keep their generated inputs and find the programs they run as child processes.</summary>
internal sealed class BenchPaths(string repoRoot)
{
    public string RepoRoot => repoRoot;

    /// <summary>Everything generated lives under .mms/bench (ignored by git), so deleting it resets the benchmarks.</summary>
    public string Root => Path.Combine(repoRoot, ".mms", "bench");

    public string Photos => Path.Combine(Root, "photos");

    public string DistinctPhotos => Path.Combine(Root, "distinct");

    public string RandomModel => Path.Combine(Root, "models", "clip-vit-base-patch32-random");

    public string Postgres => Path.Combine(Root, "postgres");

    public string IndexInputs => Path.Combine(Root, "index-input");

    public string DefaultConfig => Path.Combine(repoRoot, "bench", "configs", "clip-vit-base-patch32.json");

    public string TinyModel => Path.Combine(repoRoot, "tests", "fixtures", "clip-tiny");

    public string Emoji => Path.Combine(repoRoot, "samples", "emoji");

    /// <summary>This benchmark program, to re-invoke itself as a child whose peak memory is its own.</summary>
    public string BenchDll => typeof(BenchPaths).Assembly.Location;

    /// <summary>The CLI built in the same configuration (Debug or Release) as this program.</summary>
    public string MmsDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release";
            var dll = Path.Combine(repoRoot, "indexer", "MultiModalSearch.Cli", "bin", configuration, "net10.0", "mms.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing; run: dotnet build -c {configuration} MultiModalSearch.sln");
        }
    }

    /// <summary>Sorted image files (by extension) under a folder.</summary>
    public static List<string> Images(string directory, params string[] extensions)
    {
        if (!Directory.Exists(directory))
        {
            throw new InvalidOperationException($"{directory} does not exist");
        }

        return Directory.EnumerateFiles(directory, "*.*", SearchOption.AllDirectories)
            .Where(f => extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal).ToList();
    }
}
