using System.Diagnostics;
using System.Text.Json;
using MultiModalSearch.Inference;

namespace MultiModalSearch.Bench;

/// <summary>
/// `bench pipeline-child` (run by `index` and `memory`, not by hand): embeds <paramref name="count"/> images through
/// <see cref="ImageEmbeddingPipeline{TInput}"/> exactly as the indexer configures it (bulk dtype, shrink-on-load, the
/// indexer's resolved batch and worker counts, unordered results), with no database, and prints one JSON line. It runs
/// in its own process so that its peak RSS is its own and its model starts cold, as the indexer's does.
/// </summary>
internal sealed class PipelineChild(string modelDirectory, string images, int count, string device)
{
    public void Run()
    {
        var compute = ComputeOptions.Resolve(device, "auto", Workload.Bulk);
        using var session = ClipSession.Open(modelDirectory, compute);
        // The same resolution as IndexingJob: default PipelineOptions, resolved for the device, order not preserved.
        var options = new PipelineOptions().Resolve(compute) with { PreserveOrder = false };
        var files = BenchPaths.Images(images, ".jpg", ".jpeg", ".png");
        if (files.Count == 0)
        {
            throw new InvalidOperationException($"no images under {images}");
        }

        var clock = Stopwatch.StartNew();
        var (done, failed) = Embed(session.CreateImagePipeline(options), Cycle(files, count));
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            count = done + failed, failed, distinct = Math.Min(count, files.Count), seconds,
            files_per_second = (done + failed) / seconds, dtype = compute.DTypeName, options.BatchSize, options.Workers,
        }));
    }

    /// <summary>Lazily, so the input list itself cannot grow with N and blur the memory measurement.</summary>
    private static IEnumerable<string> Cycle(List<string> files, int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return files[i % files.Count];
        }
    }

    private static (int Done, int Failed) Embed(ImageEmbeddingPipeline<string> pipeline, IEnumerable<string> inputs)
    {
        int done = 0, failed = 0;
        foreach (var result in pipeline.RunAsync(inputs).ToBlockingEnumerable())
        {
            if (result.Succeeded)
            {
                done++;
            }
            else
            {
                failed++;
                Console.Error.WriteLine($"pipeline-child: {result.Input}: {result.Error}");
            }
        }

        return (done, failed);
    }
}
