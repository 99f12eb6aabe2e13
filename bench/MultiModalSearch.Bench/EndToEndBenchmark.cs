using System.Diagnostics;
using MultiModalSearch.Imaging;
using MultiModalSearch.Models.Clip;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;
using TorchSharp;

namespace MultiModalSearch.Bench;

/// <summary>
/// Issue 4 (b): images/s end to end from photo-sized JPEGs through our pipeline (NetVips decode with shrink-on-load,
/// Pillow-exact resampling, batched encoder) against the PyTorch + torchvision + Pillow DataLoader script, alternating
/// in one run; plus the decode ceiling (our preprocessing alone on every core).
/// </summary>
internal sealed class EndToEndBenchmark(string repoRoot, string configPath, string photos, int count, int runs, string device, int workers)
{
    public void Run()
    {
        var config = ClipConfig.Load(configPath);
        var fp32 = ComputeOptions.Resolve(device, "fp32");
        var bulk = ComputeOptions.Resolve(device, "auto", Workload.Bulk);
        torch.set_num_threads(Environment.ProcessorCount);
        var files = BenchModels.Photos(photos, count);
        var megapixels = files.Distinct().Average(f => ImageInfo.Read(f).PixelCount / 1e6);
        using var embedder32 = BenchModels.Embedder(config, fp32);
        using var embedderBulk = bulk.DType == fp32.DType ? null : BenchModels.Embedder(config, bulk);
        var fast = new ImagePreprocessor(ImagePreprocessorConfig.OpenAiClip);
        var exact = new ImagePreprocessor(ImagePreprocessorConfig.OpenAiClip, ImageDecodeOptions.Default with { ExactDecode = true });
        var options = new PipelineOptions { Workers = workers, PreserveOrder = false };

        var rows = new Dictionary<string, Measurement>();
        Measurement Row(string name) => rows.TryGetValue(name, out var m) ? m : rows[name] = new Measurement(name, "images/s");
        var baseArgs = new[] { "jpeg", photos, "--config", configPath, "--count", count.ToString(), "--threads", Environment.ProcessorCount.ToString(), "--workers", Environment.ProcessorCount.ToString() };
        for (var run = 0; run < runs; run++)
        {
            Console.Error.WriteLine($"run {run + 1}/{runs}");
            Row("PyTorch DataLoader + Pillow, fp32").Add(PythonBaseline.Run(repoRoot, baseArgs).GetProperty("images_per_s").GetDouble());
            Row("PyTorch DataLoader + Pillow draft, fp32").Add(PythonBaseline.Run(repoRoot, [.. baseArgs, "--draft"]).GetProperty("images_per_s").GetDouble());
            Row("ours, shrink-on-load, fp32").Add(Pipeline(embedder32, fast, options, files));
            Row("ours, exact decode, fp32").Add(Pipeline(embedder32, exact, options, files));
            if (embedderBulk is not null)
            {
                Row($"ours, shrink-on-load, {bulk.DTypeName} (index default)").Add(Pipeline(embedderBulk, fast, options, files));
            }

            Row("decode ceiling: our preprocessing alone, all cores").Add(DecodeOnly(fast, files));
        }

        var baseline = rows["PyTorch DataLoader + Pillow, fp32"];
        var draft = rows["PyTorch DataLoader + Pillow draft, fp32"];
        var table = rows.Values.Select(r => (r, r == baseline ? null : r.Name.StartsWith("ours", StringComparison.Ordinal) || r.Name.StartsWith("decode", StringComparison.Ordinal) ? baseline : (Measurement?)null)).ToList();
        BenchReport.Print("End to end from JPEG files", table,
        [
            $"{files.Distinct().Count()} distinct photos ({megapixels:F1} MP on average), {count} images per run, model {Path.GetFileName(configPath)} random weights, device {fp32.DeviceName}",
            $"ours vs Pillow draft (its own shrink-on-load): {rows["ours, shrink-on-load, fp32"].Median / draft.Median:F2}x",
            $"workers: ours {options.Resolve(fp32).Workers}, PyTorch DataLoader {Environment.ProcessorCount}",
        ]);
    }

    private static double Pipeline(ClipEmbedder embedder, ImagePreprocessor preprocessor, PipelineOptions options, List<string> files)
    {
        var pipeline = new ImageEmbeddingPipeline<string>(embedder, preprocessor.Preprocess, options);
        var clock = Stopwatch.StartNew();
        var done = 0;
        foreach (var result in pipeline.RunAsync(files).ToBlockingEnumerable())
        {
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(result.Error);
            }

            done++;
        }

        return done / clock.Elapsed.TotalSeconds;
    }

    private static double DecodeOnly(ImagePreprocessor preprocessor, List<string> files)
    {
        var clock = Stopwatch.StartNew();
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => new float[preprocessor.OutputLength], (file, _, buffer) =>
            {
                preprocessor.Preprocess(file, buffer);
                return buffer;
            }, _ => { });
        return files.Count / clock.Elapsed.TotalSeconds;
    }
}
