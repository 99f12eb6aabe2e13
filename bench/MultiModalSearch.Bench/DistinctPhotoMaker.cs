using System.Diagnostics;
using NetVips;

namespace MultiModalSearch.Bench;

/// <summary>
/// `bench make-photos`: N photo-sized JPEGs with distinct contents. The indexer embeds each content once, so cycling
/// the ~29 real photos would measure deduplication, not indexing. Each output is a different crop window (75-95% of
/// each side, at a seeded offset) of one real photo, scaled to a long side of 3000-4000 px and re-encoded at Q90: still
/// a camera-like 5-12 MP JPEG for the decoder, never the same bytes twice. Idempotent: existing outputs are kept.
/// </summary>
internal sealed class DistinctPhotoMaker(string sources, string directory, int count)
{
    public void Run()
    {
        var originals = BenchPaths.Images(sources, ".jpg", ".jpeg");
        if (originals.Count == 0)
        {
            throw new InvalidOperationException($"no JPEG files under {sources}; run bench/collect-photos.sh");
        }

        Directory.CreateDirectory(directory);
        var clock = Stopwatch.StartNew();
        var written = 0;
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var output = OutputPath(i);
            if (!File.Exists(output))
            {
                Derive(originals[i % originals.Count], i, output);
                if (Interlocked.Increment(ref written) % 100 == 0)
                {
                    Console.Error.WriteLine($"make-photos: {written} written, {clock.Elapsed.TotalSeconds:F0} s");
                }
            }
        });

        Report(originals.Count, written, clock.Elapsed.TotalSeconds);
    }

    private string OutputPath(int index) => Path.Combine(directory, $"distinct-{index:D6}.jpg");

    /// <summary>Seeded by the output's index, so a rerun (or another machine) derives the same file.</summary>
    private static void Derive(string original, int index, string output)
    {
        var random = new Random(index);
        using var image = Image.NewFromFile(original, access: Enums.Access.Sequential);
        var width = (int)(image.Width * (0.75 + (0.2 * random.NextDouble())));
        var height = (int)(image.Height * (0.75 + (0.2 * random.NextDouble())));
        var left = random.Next(image.Width - width + 1);
        var top = random.Next(image.Height - height + 1);
        var longSide = 3000 + random.Next(1001);
        using var cropped = image.Crop(left, top, width, height);
        using var scaled = cropped.Resize((double)longSide / Math.Max(width, height), kernel: Enums.Kernel.Lanczos3);
        // Write aside and rename, so a killed run never leaves a truncated file that a rerun would keep.
        var partial = output + ".partial.jpg";
        scaled.Jpegsave(partial, q: 90, keep: Enums.ForeignKeep.None);
        File.Move(partial, output, overwrite: true);
    }

    private void Report(int originals, int written, double seconds)
    {
        var files = Enumerable.Range(0, count).Select(OutputPath).ToList();
        var sample = files.Where((_, i) => i % Math.Max(1, count / 50) == 0).ToList();
        var megapixels = sample.Average(f => { using var header = Image.NewFromFile(f); return header.Width * (double)header.Height / 1e6; });
        BenchReport.PrintGrid("Distinct photos", ["item", "value"],
        [
            ["folder", directory],
            ["photos", count.ToString()],
            ["written now (others existed)", written.ToString()],
            ["originals derived from", originals.ToString()],
            ["mean size", $"{megapixels:F1} MP, {files.Average(f => new FileInfo(f).Length) / 1e6:F2} MB"],
            ["time", written == 0 ? "-" : $"{seconds:F1} s, {written / seconds:F1} photos/s"],
        ]);
    }
}
