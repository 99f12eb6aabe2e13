using System.CommandLine;
using System.Text.Json;
using MultiModalSearch.Core.Crawling;
using MultiModalSearch.Core.Indexing;
using MultiModalSearch.Imaging;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;
using MultiModalSearch.Storage.Postgres;
using Spectre.Console;

namespace MultiModalSearch.Cli.Commands;

/// <summary><c>mms index PATH... --collection NAME</c>: crawl, embed and store; resumable, incremental, deduplicated.</summary>
internal static class IndexCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Folders or files to index", Arity = ArgumentArity.OneOrMore };
        var collection = CollectionOption();
        var model = CommonOptions.Model();
        var db = DbOption();
        var include = new Option<string[]>("--include") { Description = "Glob of files to index, relative to each path (repeatable); default: every supported image" };
        var exclude = new Option<string[]>("--exclude") { Description = "Glob of files or folders to skip (repeatable)" };
        var hidden = new Option<bool>("--hidden") { Description = "Also index hidden files and folders (names starting with '.')" };
        var prune = new Option<bool>("--prune") { Description = "Mark indexed files under PATHS that no longer exist as removed" };
        var shard = new Option<string?>("--shard") { Description = "i/N: index only this worker's deterministic share of the files (0 <= i < N)" };
        var noThumbnails = new Option<bool>("--no-thumbnails") { Description = "Do not store WebP thumbnails" };
        var exact = new Option<bool>("--exact-decode") { Description = "Decode large JPEGs at full size (as the reference) instead of shrink-on-load" };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per model call (default: 32 on CPU, 256 on CUDA)" };
        var workers = new Option<int>("--workers") { Description = "Parallel decoders (default: half the cores on CPU, all on CUDA)" };
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
                throw new ArgumentException("--prune needs the whole archive: run it without --shard (a shard sees only its share of the files)");
            }

            var roots = result.GetValue(paths)!;
            foreach (var root in roots.Where(r => !Directory.Exists(r) && !File.Exists(r)))
            {
                throw new ArgumentException($"no such file or folder: {root}");
            }

            var resolved = await ModelResolution.ResolveAsync(result.GetValue(model), cancellationToken);
            var decode = ImageDecodeOptions.Default with { ExactDecode = result.GetValue(exact) };
            using var session = ClipSession.Open(resolved.Directory, ComputeOptions.Resolve(result.GetValue(device)!, result.GetValue(dtype)!, Workload.Bulk), decode);
            await using var database = await DatabaseSession.OpenAsync(result.GetValue(db), cancellationToken);
            var options = new IndexingOptions
            {
                Roots = roots.Select(Path.GetFullPath).ToList(),
                Collection = result.GetValue(collection)!,
                ModelId = resolved.Id,
                Crawl = new CrawlOptions
                {
                    Include = result.GetValue(include) ?? [], Exclude = result.GetValue(exclude) ?? [],
                    IncludeHidden = result.GetValue(hidden), Shard = shardSpec,
                },
                Prune = result.GetValue(prune),
                Thumbnails = !result.GetValue(noThumbnails),
                Decode = decode,
                Pipeline = new PipelineOptions { BatchSize = result.GetValue(batchSize), Workers = result.GetValue(workers) },
            };
            var job = new IndexingJob(database.Storage, session, options);
            var view = new IndexingProgressView();
            if (!result.GetValue(json))
            {
                Console.Error.WriteLine($"indexing into '{options.Collection}' with {resolved.Id} on {session.Embedder.Compute.DeviceName} ({session.Embedder.Compute.DTypeName}), {database.Description}");
            }

            var summary = await view.RunAsync(progress => job.RunAsync(progress, cancellationToken));
            var status = await database.Storage.GetStatusAsync((await database.Storage.FindCollectionAsync(options.Collection))!);
            if (result.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    summary.Collection, summary.Model, summary.Crawled, summary.Added, summary.Changed, summary.Unchanged,
                    summary.Embedded, summary.Reused, summary.Failed, summary.Removed, summary.Interrupted, search_index = summary.SearchIndex,
                    seconds = Math.Round(summary.Seconds, 2), files_per_second = Math.Round(summary.FilesPerSecond, 2),
                    crawl_problems = summary.CrawlProblems,
                    status = new { status.Indexed, status.Failed, status.Pending, status.Removed, status.Embeddings },
                }, JsonOutput.SerializerOptions));
            }
            else
            {
                PrintSummary(summary, status);
            }

            return summary.Interrupted ? 130 : 0;
        });
        return command;
    }

    public static Option<string> CollectionOption() => new("--collection", "-c")
    {
        Description = "Collection name (one model per collection)",
        DefaultValueFactory = _ => "default",
    };

    public static Option<string?> DbOption() => new("--db")
    {
        Description = "PostgreSQL connection string or postgres:// URL (default: $MMS_DATABASE_URL, else the embedded project-local database)",
    };

    private static void PrintSummary(IndexingSummary summary, StorageStatus status)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var table = new Table().AddColumns("", "files").HideHeaders();
        table.AddRow("crawled", $"{summary.Crawled} ({summary.Added} new, {summary.Changed} changed, {summary.Unchanged} unchanged)");
        table.AddRow("embedded (model work)", summary.Embedded.ToString());
        table.AddRow("reused (same content already embedded)", summary.Reused.ToString());
        table.AddRow("failed", summary.Failed.ToString());
        table.AddRow("removed (--prune)", summary.Removed.ToString());
        table.AddRow("time", $"{summary.Seconds:F1} s, {summary.FilesPerSecond:F1} files/s");
        table.AddRow("search index", summary.SearchIndex);
        table.AddRow("collection now", $"{status.Indexed} indexed, {status.Embeddings} distinct contents, {status.Failed} failed, {status.Pending} pending");
        console.Write(table);
        foreach (var problem in summary.CrawlProblems.Take(10))
        {
            console.MarkupLine($"[yellow]crawl:[/] {Markup.Escape(problem)}");
        }

        if (summary.Interrupted)
        {
            console.MarkupLine("[yellow]interrupted:[/] the work in flight was recorded; run the same command again to continue");
        }
    }
}
