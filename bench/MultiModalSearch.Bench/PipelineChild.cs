using System.Diagnostics;
using System.Text.Json;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Core.Indexing;
using MultiModalSearch.Imaging;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;
using MultiModalSearch.Storage.Postgres;

namespace MultiModalSearch.Bench;

/// <summary>
/// `bench pipeline-child` (run by `index` and `memory`, not by hand): embeds <paramref name="count"/> images through
/// <see cref="ImageEmbeddingPipeline{TInput}"/> exactly as the indexer configures it (bulk dtype, shrink-on-load, the
/// indexer's resolved batch and worker counts, unordered results), with no database, and prints one JSON line. It runs
/// in its own process so that its peak RSS is its own and its model starts cold, as the indexer's does.
/// With <paramref name="fileWork"/>, each file also gets the indexer's own per-file work, where the indexer does it:
/// read into a pooled buffer, SHA-256 and metadata inspection ahead of the decoders, the 256 px WebP thumbnail from the
/// decode; everything `mms index` does except the database.
/// </summary>
internal sealed class PipelineChild(string modelDirectory, string images, int count, string device, bool fileWork = false)
{
    private static readonly ThumbnailEncoder Thumbnails = new(); // the indexer's settings

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
        var (done, failed) = fileWork
            ? Embed(session.CreateImagePipeline<IndexItem>((item, pixels) => Load(session, item, pixels), options), ReadAhead(Cycle(files, count)))
            : Embed(session.CreateImagePipeline(options), Cycle(files, count));
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            count = done + failed, failed, distinct = Math.Min(count, files.Count), seconds,
            files_per_second = (done + failed) / seconds, dtype = compute.DTypeName, options.BatchSize, options.Workers,
            file_work = fileWork,
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

    /// <summary>
    /// Enumerated by the pipeline's producer task, so this runs alongside the decoders, as the indexer's claim-ahead
    /// does; its queue is shallower, though (the pipeline's work queue of two files per decoder against a claim of 32).
    /// </summary>
    private static IEnumerable<IndexItem> ReadAhead(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            // The indexer's own preparation of a claimed file; the asset id and size matter only to the database.
            var item = new IndexItem(new WorkItem(0, path, 0));
            item.Prepare(ImageDecodeOptions.Default);
            yield return item;
        }
    }

    private static void Load(ClipSession session, IndexItem item, Span<float> pixels)
    {
        using var content = item.TakeContent();
        session.Preprocessor.PreprocessWithThumbnail(content.Span, pixels, item.Work.Path, Thumbnails);
    }

    private static (int Done, int Failed) Embed<T>(ImageEmbeddingPipeline<T> pipeline, IEnumerable<T> inputs)
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
