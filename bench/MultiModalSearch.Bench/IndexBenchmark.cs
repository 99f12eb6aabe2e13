using System.Globalization;
using MultiModalSearch.Imaging;
using MultiModalSearch.Models.Inference;

namespace MultiModalSearch.Bench;

/// <summary>
/// `bench index`, Issue 5's goal: indexing end to end at least 90% of the pipeline-only ceiling. Alternating in one run,
/// each leg a cold child process on the same N distinct photos and the same random-weight model: (a) the ceiling,
/// <see cref="PipelineChild"/> (pipeline alone, no database); (c) the same with the indexer's per-file work (read, hash,
/// inspect, thumbnail) and still no database, which splits the gap into that work and the database's share; (b)
/// `mms index --json` (crawl, hash, inspect, thumbnails, pipeline, COPY) into a fresh collection in a fresh database
/// of the benchmarks' embedded PostgreSQL. All report files/s over their own work, model loading excluded; GNU time
/// gives each child's peak RSS.
/// </summary>
internal sealed class IndexBenchmark(BenchPaths paths, string photos, int count, int runs, string device)
{
    private const double Goal = 0.90;

    public async Task RunAsync()
    {
        var model = RequireModel();
        var input = InputFolder(photos, count);
        var ceiling = new Measurement("(a) pipeline only: ImageEmbeddingPipeline, no database", "files/s");
        var withFileWork = new Measurement("(c) pipeline + the indexer's file work (read, SHA-256, inspect, thumbnail), no database", "files/s");
        var indexer = new Measurement("(b) mms index: IndexingJob into a fresh collection", "files/s");
        var ceilingRss = new Measurement("(a) pipeline only, peak RSS", "MiB");
        var indexerRss = new Measurement("(b) mms index, peak RSS", "MiB");
        var indexerWall = new Measurement("(b) mms index, process wall time incl. startup and model load", "s");
        var ratios = new List<double>();
        var databaseShares = new List<double>();
        PipelineSettings? facts = null;
        await using var database = await BenchDatabase.StartAsync(paths);
        for (var run = 0; run < runs; run++)
        {
            Console.Error.WriteLine($"index: run {run + 1}/{runs}");
            // Reverse the order every other run, so a machine that slows down (or warms its page cache) favours no leg.
            double a = 0, b = 0, c = 0;
            foreach (var leg in run % 2 == 0 ? new[] { 'a', 'c', 'b' } : ['b', 'c', 'a'])
            {
                if (leg == 'a')
                {
                    var child = RunPipelineChild(model, input, fileWork: false);
                    var json = child.Json();
                    facts ??= new PipelineSettings(json.GetProperty("dtype").GetString()!, json.GetProperty("BatchSize").GetInt32(), json.GetProperty("Workers").GetInt32());
                    a = json.GetProperty("files_per_second").GetDouble();
                    ceiling.Add(a);
                    ceilingRss.Add(child.PeakRssMiB);
                }
                else if (leg == 'c')
                {
                    c = RunPipelineChild(model, input, fileWork: true).Json().GetProperty("files_per_second").GetDouble();
                    withFileWork.Add(c);
                }
                else
                {
                    var child = await IndexOnceAsync(database, model, input, run);
                    b = child.Json().GetProperty("files_per_second").GetDouble();
                    indexer.Add(b);
                    indexerRss.Add(child.PeakRssMiB);
                    indexerWall.Add(child.WallSeconds);
                }
            }

            ratios.Add(b / a);
            databaseShares.Add(b / c);
        }

        Report([(ceiling, null), (withFileWork, ceiling), (indexer, ceiling), (ceilingRss, null), (indexerRss, ceilingRss), (indexerWall, null)],
            ceiling, indexer, ratios, databaseShares, facts!, input);
    }

    private ChildRun RunPipelineChild(string model, string input, bool fileWork)
    {
        string[] arguments = ["pipeline-child", "--model", model, "--images", input, "--count", count.ToString(CultureInfo.InvariantCulture), "--device", device];
        return ChildProcess.RunDotnet(paths.BenchDll, fileWork ? [.. arguments, "--file-work"] : arguments);
    }

    private string RequireModel()
    {
        var model = paths.RandomModel;
        return File.Exists(Path.Combine(model, "model.safetensors")) ? model
            : throw new InvalidOperationException($"{model} is missing; run: bench make-model");
    }

    /// <summary>A folder of links to the first N distinct photos, so that `mms index FOLDER` sees exactly those.</summary>
    private string InputFolder(string source, int n)
    {
        var files = BenchPaths.Images(source, ".jpg", ".jpeg");
        if (files.Count < n)
        {
            throw new InvalidOperationException($"{source} has {files.Count} photos, fewer than {n}; run: bench make-photos --count {n}");
        }

        var folder = Path.Combine(paths.IndexInputs, n.ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true); // links only; rebuilt so a changed source folder is picked up
        }

        Directory.CreateDirectory(folder);
        foreach (var file in files.Take(n))
        {
            File.CreateSymbolicLink(Path.Combine(folder, Path.GetFileName(file)), Path.GetFullPath(file));
        }

        return folder;
    }

    private async Task<ChildRun> IndexOnceAsync(BenchDatabase database, string model, string input, int run)
    {
        var name = $"bench_index_{run}";
        var connection = await database.CreateFreshAsync(name);
        try
        {
            var child = ChildProcess.RunDotnet(paths.MmsDll,
                ["index", input, "--collection", $"bench-{run}", "--model", model, "--db", connection, "--device", device, "--json"]);
            var json = child.Json();
            var embedded = json.GetProperty("embedded").GetInt64();
            var failed = json.GetProperty("failed").GetInt64();
            if (embedded != count || failed != 0)
            {
                throw new InvalidOperationException($"mms index embedded {embedded} and failed {failed} of {count}: the comparison would be unfair\n{child.Stdout}");
            }

            return child;
        }
        finally
        {
            await database.DropAsync(name); // each run's thumbnails and rows would otherwise pile up
        }
    }

    private void Report(IReadOnlyList<(Measurement, Measurement?)> rows, Measurement ceiling, Measurement indexer, List<double> ratios, List<double> databaseShares, PipelineSettings facts, string input)
    {
        var files = BenchPaths.Images(input, ".jpg", ".jpeg");
        var sample = files.Where((_, i) => i % Math.Max(1, files.Count / 50) == 0).ToList();
        var megapixels = sample.Average(f => ImageInfo.Read(f).PixelCount / 1e6);
        var ratio = indexer.Median / ceiling.Median;
        BenchReport.Print("Indexing end to end vs the pipeline-only ceiling", rows,
        [
            $"{count} distinct photos ({megapixels:F1} MP on average) per run, {ratios.Count} runs alternating, model {Path.GetFileName(paths.RandomModel)}, " +
            $"device {device}, {facts.DType}, batch {facts.BatchSize}, {facts.Workers} decoders, {Environment.ProcessorCount} cores",
            $"ratio (b)/(a) per run: {string.Join(", ", ratios.Select(r => r.ToString("F3", CultureInfo.InvariantCulture)))}",
            $"ratio (b)/(c) per run, what the database leaves of the no-database rate: {string.Join(", ", databaseShares.Select(r => r.ToString("F3", CultureInfo.InvariantCulture)))}",
            $"goal: mms index >= {Goal:P0} of the ceiling; median ratio {ratio:P1}: {(ratio >= Goal ? "MET" : "NOT MET")}",
            "(b) includes thumbnails (the CLI default), SHA-256 and metadata inspection; its database is a fresh one in .mms/bench/postgres",
            $"glibc allocator tuning (MallocTuning, both legs; MMS_MALLOC_TUNING=off to compare): {MallocTuning.EnsureApplied()}",
        ]);
    }
}
