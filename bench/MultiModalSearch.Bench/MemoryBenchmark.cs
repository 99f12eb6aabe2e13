using System.Globalization;

namespace MultiModalSearch.Bench;

/// <summary>
/// `bench memory`: the embedding pipeline's peak RSS must not grow with the number of inputs (bounded queues, pooled
/// buffers, results streamed out). Each case is a cold <see cref="PipelineChild"/> under GNU time: the clip-tiny
/// fixture on the emoji PNGs (cycled; fast, so N can be large) at each N, and ViT-B/32 with random weights on real
/// photos (cycled) for the footprint of a real model and photo-sized decodes.
/// </summary>
internal sealed class MemoryBenchmark(BenchPaths paths, IReadOnlyList<int> counts, int photoCount, string device)
{
    public void Run()
    {
        var rows = new List<IReadOnlyList<string>>();
        var tiny = new List<ChildRun>();
        foreach (var count in counts)
        {
            Console.Error.WriteLine($"memory: clip-tiny, {count} emoji images");
            var run = Child(paths.TinyModel, paths.Emoji, count);
            tiny.Add(run);
            rows.Add(Row("clip-tiny (fixture)", "samples/emoji PNGs", count, run));
        }

        if (photoCount > 0)
        {
            Console.Error.WriteLine($"memory: ViT-B/32 random weights, {photoCount} photos");
            RequireModel();
            rows.Add(Row("ViT-B/32 random weights", "real photos (.mms/bench/photos)", photoCount, Child(paths.RandomModel, paths.Photos, photoCount)));
        }

        BenchReport.PrintGrid("Peak RSS of the embedding pipeline by number of inputs", ["model", "inputs", "N", "peak RSS MiB", "files/s"], rows, Notes(tiny));
    }

    private ChildRun Child(string model, string images, int count) =>
        ChildProcess.RunDotnet(paths.BenchDll, ["pipeline-child", "--model", model, "--images", images, "--count", count.ToString(CultureInfo.InvariantCulture), "--device", device]);

    private void RequireModel()
    {
        if (!File.Exists(Path.Combine(paths.RandomModel, "model.safetensors")))
        {
            throw new InvalidOperationException($"{paths.RandomModel} is missing; run: bench make-model");
        }
    }

    private static IReadOnlyList<string> Row(string model, string inputs, int count, ChildRun run) =>
    [
        model, inputs, count.ToString(CultureInfo.InvariantCulture), run.PeakRssMiB.ToString("F0", CultureInfo.InvariantCulture),
        run.Json().GetProperty("files_per_second").GetDouble().ToString("F1", CultureInfo.InvariantCulture),
    ];

    /// <summary>Flat means the largest N's peak is within a few percent of the smallest's, not N-proportional.</summary>
    private List<string> Notes(List<ChildRun> tiny)
    {
        var notes = new List<string> { "peak RSS: ru_maxrss of each child (GNU time %M), model loading included; device " + device };
        if (tiny.Count >= 2)
        {
            var first = tiny[0].PeakRssMiB;
            var last = tiny[^1].PeakRssMiB;
            notes.Add($"clip-tiny: N x{(double)counts[^1] / counts[0]:F0} -> peak RSS {last - first:+0;-0} MiB ({(last / first) - 1:+0.0%;-0.0%})");
        }

        return notes;
    }
}
