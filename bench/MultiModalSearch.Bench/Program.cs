using MultiModalSearch.Bench;

// Side-by-side benchmarks; each prints a table. See docs/benchmarks.md for the commands and recorded figures.
var repoRoot = FindRepoRoot();
var mode = args.FirstOrDefault() ?? "help";
string Option(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

var config = Option("--config", Path.Combine(repoRoot, "bench", "configs", "clip-vit-base-patch32.json"));
var runs = int.Parse(Option("--runs", "3"));
var seconds = double.Parse(Option("--seconds", "15"), System.Globalization.CultureInfo.InvariantCulture);
var device = Option("--device", "cpu");
switch (mode)
{
    case "encoder":
        new EncoderBenchmark(repoRoot, config, int.Parse(Option("--batch", "32")), seconds, runs, device).Run();
        return 0;
    case "e2e":
        new EndToEndBenchmark(repoRoot, config, Option("--photos", Path.Combine(repoRoot, ".mms", "bench", "photos")),
            int.Parse(Option("--count", "128")), runs, device, int.Parse(Option("--workers", "0"))).Run();
        return 0;
    default:
        Console.WriteLine("usage: bench encoder [--config C] [--batch N] [--seconds S] [--runs R] [--device cpu|cuda]");
        Console.WriteLine("       bench e2e [--photos DIR] [--count N] [--runs R] [--workers W] [--device cpu|cuda]");
        return mode == "help" ? 0 : 2;
}

static string FindRepoRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "MultiModalSearch.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("run the benchmarks from a source checkout");
}
