using System.Globalization;
using MultiModalSearch.Bench;

// Side-by-side benchmarks; each prints a table. See docs/benchmarks.md for the commands and recorded figures.
var repoRoot = FindRepoRoot();
var paths = new BenchPaths(repoRoot);
var mode = args.FirstOrDefault() ?? "help";
if (args.Contains("--help") || args.Contains("-h"))
{
    mode = "help";
}

string Option(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

int IntOption(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

var config = Option("--config", paths.DefaultConfig);
var runs = IntOption("--runs", 3);
var seconds = double.Parse(Option("--seconds", "15"), CultureInfo.InvariantCulture);
var device = Option("--device", "cpu");
switch (mode)
{
    case "encoder":
        new EncoderBenchmark(repoRoot, config, IntOption("--batch", 32), seconds, runs, device).Run();
        return 0;
    case "bert":
        new BertBenchmark(paths, IntOption("--batch", 32), IntOption("--tokens", 256), seconds, runs).Run();
        return 0;
    case "e2e":
        new EndToEndBenchmark(repoRoot, config, Option("--photos", paths.Photos), IntOption("--count", 128), runs, device, IntOption("--workers", 0)).Run();
        return 0;
    case "make-model":
        new RandomModelFolder(paths, config, Path.GetFullPath(Option("--out", paths.RandomModel))).Run();
        return 0;
    case "make-photos":
        new DistinctPhotoMaker(Option("--photos", paths.Photos), Path.GetFullPath(Option("--out", paths.DistinctPhotos)), IntOption("--count", 1000)).Run();
        return 0;
    case "ingest":
        await new IngestBenchmark(paths, Path.GetFullPath(Option("--pdfs", Path.Combine(repoRoot, ".mms", "data", "debian-docs"))), runs).RunAsync();
        return 0;
    case "index":
        await new IndexBenchmark(paths, Option("--photos", paths.DistinctPhotos), IntOption("--count", 1000), runs, device).RunAsync();
        return 0;
    case "storage":
        await new StorageBenchmark(paths, IntOption("--rows", 100000), IntOption("--dim", 512), TimeSpan.FromSeconds(IntOption("--progress-seconds", 30))).RunAsync();
        return 0;
    case "service-data":
        await using (var database = await BenchDatabase.StartAsync(paths))
        {
            await new ServiceData(paths, IntOption("--rows", 100000)).EnsureAsync(database);
        }

        return 0;
    case "service":
        int[] List(string name, string fallback) => Option(name, fallback).Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        await new ServiceBenchmark(paths, IntOption("--rows", 100000), runs, IntOption("--seconds", 15), List("--concurrency", "1,8,32"),
            List("--ef-list", "40,100,200,400,800"), IntOption("--ef", 100)).RunAsync();
        return 0;
    case "web":
        await new WebLatencyBenchmark(paths, IntOption("--rows", 100000), IntOption("--queries", 30), IntOption("--key-delay", 80)).RunAsync();
        return 0;
    case "memory":
        var counts = Option("--counts", "1000,10000").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToList();
        new MemoryBenchmark(paths, counts, IntOption("--photo-count", 200), device).Run();
        return 0;
    case "decoder":
        new DecoderBenchmark(repoRoot, Option("--config", Path.Combine(repoRoot, "bench", "configs", "tinyllama-1.1b.json")), IntOption("--prefix", 576),
            IntOption("--text", 16), IntOption("--new-tokens", 32), runs, Option("--dtypes", "fp32,bf16").Split(','), device).Run();
        return 0;
    case "decoder-child":
        new DecoderChild(Option("--config", ""), Option("--dtype", "fp32"), IntOption("--prefix", 576), IntOption("--text", 16),
            IntOption("--new-tokens", 32), IntOption("--threads", Environment.ProcessorCount), device).Run();
        return 0;
    case "pipeline-child":
        new PipelineChild(Option("--model", paths.RandomModel), Option("--images", paths.Photos), IntOption("--count", 100), device, args.Contains("--file-work")).Run();
        return 0;
    default:
        Console.WriteLine("usage: bench encoder [--config C] [--batch N] [--seconds S] [--runs R] [--device cpu|cuda]");
        Console.WriteLine("       bench bert [--batch N] [--tokens T] [--seconds S] [--runs R]");
        Console.WriteLine("       bench e2e [--photos DIR] [--count N] [--runs R] [--workers W] [--device cpu|cuda]");
        Console.WriteLine("       bench make-model [--config C] [--out DIR]");
        Console.WriteLine("       bench make-photos [--count N] [--photos SOURCE_DIR] [--out DIR]");
        Console.WriteLine("       bench index [--photos DIR] [--count N] [--runs R] [--device cpu|cuda]");
        Console.WriteLine("       bench ingest [--pdfs DIR] [--runs R]   (PDF pages/s: mms ingest vs PyMuPDF + PyTorch BERT)");
        Console.WriteLine("       bench storage [--rows N] [--dim D] [--progress-seconds S]");
        Console.WriteLine("       bench service-data [--rows N]   (the service benchmark's database, built once and kept)");
        Console.WriteLine("       bench web [--rows N] [--queries 30] [--key-delay 80]   (the search page in chromium: last keystroke to first results)");
        Console.WriteLine("       bench service [--rows N] [--runs R] [--seconds S] [--concurrency 1,8,32] [--ef E] [--ef-list 40,100,...]");
        Console.WriteLine("       bench memory [--counts N1,N2] [--photo-count P] [--device cpu|cuda]");
        Console.WriteLine("       bench decoder [--config C] [--prefix 576] [--text 16] [--new-tokens 32] [--runs R] [--dtypes fp32,bf16] [--device cpu|cuda]");
        Console.WriteLine("       (bench pipeline-child --model DIR --images DIR --count N [--file-work]: run by index and memory)");
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
