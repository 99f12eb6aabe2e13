using System.CommandLine;
using System.Text.Json;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Core.Crawling;
using MultiModalSearch.Core.Indexing;
using MultiModalSearch.Core.Inspection;
using MultiModalSearch.Hosting;
using MultiModalSearch.Imaging;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;
using Spectre.Console;

namespace MultiModalSearch.Cli.Commands;

/// <summary><c>mms index PATH... --collection NAME</c>: crawl, embed and store; resumable, incremental, deduplicated.</summary>
internal static class IndexCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Folders or files to index", Arity = ArgumentArity.OneOrMore };
        var collection = CommonOptions.Collection();
        var model = CommonOptions.Model();
        var db = CommonOptions.Db();
        var include = new Option<string[]>("--include") { Description = "Glob of files to index, relative to each path (repeatable); default: every supported image" };
        var exclude = new Option<string[]>("--exclude") { Description = "Glob of files or folders to skip (repeatable)" };
        var hidden = new Option<bool>("--hidden") { Description = "Also index hidden files and folders (names starting with '.')" };
        var prune = new Option<bool>("--prune") { Description = "Mark indexed files under PATHS that no longer exist as removed (and drop embeddings nothing refers to)" };
        var shard = new Option<string?>("--shard") { Description = "i/N: index only this worker's deterministic share of the files (0 <= i < N)" };
        var noThumbnails = new Option<bool>("--no-thumbnails") { Description = "Do not store WebP thumbnails" };
        var exact = new Option<bool>("--exact-decode") { Description = "Decode large JPEGs at full size (as the reference) instead of shrink-on-load" };
        var batchSize = CommonOptions.PositiveCount("--batch-size", "Images per model call (default: 32 on CPU, 256 on CUDA)");
        var workers = CommonOptions.PositiveCount("--workers", "Parallel decoders (default: half the cores on CPU, all on CUDA)");
        var device = CommonOptions.Device();
        var dtype = CommonOptions.DType();
        var json = CommonOptions.Json();
        var command = new Command("index", "Index images into a collection (resumable: run the same command again after a crash)")
        {
            paths, collection, model, db, include, exclude, hidden, prune, shard, noThumbnails, exact, batchSize, workers, device, dtype, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var shardSpec = result.GetValue(shard) is { } s ? ShardSpec.Parse(s) : (ShardSpec?)null;
            if (shardSpec is not null && result.GetValue(prune))
            {
                throw new CliUsageException("--prune needs the whole archive: run it without --shard (a shard sees only its share of the files)");
            }

            var roots = result.GetValue(paths)!;
            foreach (var root in roots.Where(r => !Directory.Exists(r) && !File.Exists(r)))
            {
                throw new CliUsageException($"no such file or folder: {root}");
            }

            var crawl = new CrawlOptions
            {
                Include = result.GetValue(include) ?? [], Exclude = result.GetValue(exclude) ?? [],
                IncludeHidden = result.GetValue(hidden), Shard = shardSpec,
            };
            // A pruning run over an emptied folder has work to do (remove what is gone); any other run needs files.
            if (!result.GetValue(prune) && !new FileCrawler(crawl with { Shard = null }).FindsAny(roots, cancellationToken))
            {
                throw new CliUsageException($"nothing to index in {string.Join(", ", roots.Select(TextOutput.Path))}: no supported image files " +
                    $"({string.Join(" ", SupportedImages.Extensions)}){(crawl.Include.Count + crawl.Exclude.Count > 0 ? " that --include/--exclude let through" : "")}");
            }

            await using var host = await CliHost.StartAsync(new Dictionary<string, string?> { [ConfigurationKeys.DatabaseUrl] = result.GetValue(db) }, openDatabase: true, cancellationToken);
            var resolved = await ModelDownloads.LocateAsync(host, result.GetValue(model), cancellationToken);
            var decode = ImageDecodeOptions.Default with { ExactDecode = result.GetValue(exact) };
            using var session = ClipSession.Open(resolved.Directory, ComputeOptions.Resolve(result.GetValue(device)!, result.GetValue(dtype)!, Workload.Bulk), decode);
            var options = new IndexingOptions
            {
                Roots = roots.Select(Path.GetFullPath).ToList(),
                Collection = result.GetValue(collection)!,
                ModelId = resolved.Id,
                ModelFingerprint = resolved.Fingerprint,
                Crawl = crawl,
                Prune = result.GetValue(prune),
                Thumbnails = !result.GetValue(noThumbnails),
                Decode = decode,
                Pipeline = new PipelineOptions { BatchSize = result.GetValue(batchSize), Workers = result.GetValue(workers) },
            };
            var stores = host.Get<IndexingStores>();
            if (!result.GetValue(json))
            {
                Console.Error.WriteLine($"indexing into '{options.Collection}' with {resolved.Id} on {session.Embedder.Compute.DeviceName} ({session.Embedder.Compute.DTypeName}), {host.Db.Description}");
            }

            var summary = await new IndexingProgressView().RunAsync(progress => new IndexingJob(stores, session, options).RunAsync(progress, cancellationToken));
            // Not cancellable: after Ctrl+C the summary of what was recorded is still owed.
            var status = await stores.Collections.GetStatusAsync((await stores.Collections.FindAsync(options.Collection, CancellationToken.None))!, cancellationToken: CancellationToken.None);
            if (result.GetValue(json))
            {
                WriteJson(summary, status);
            }
            else
            {
                IndexingSummaryView.Write(summary, status);
            }

            return summary.Interrupted ? 130 : 0;
        });
        return command;
    }

    private static void WriteJson(IndexingSummary summary, CollectionStatus status) =>
        Console.Out.WriteLine(JsonSerializer.Serialize(new
        {
            summary.Collection, summary.Model, summary.Crawled, summary.Added, summary.Changed, summary.Unchanged,
            summary.Embedded, summary.Reused, summary.Failed, summary.Removed, summary.Interrupted,
            search_index = IndexingSummaryView.Describe(summary.SearchIndex),
            seconds = Math.Round(summary.Seconds, 2), files_per_second = Math.Round(summary.FilesPerSecond, 2),
            crawl_problems = summary.CrawlProblems.Select(p => $"{p.Path}: {p.Message}"),
            status = new { status.Indexed, status.Failed, status.Pending, status.Removed, status.Embeddings },
        }, JsonOutput.SerializerOptions));
}
