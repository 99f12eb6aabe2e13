using System.CommandLine;
using System.Text.Json;
using MultiModalSearch.Abstractions.DocumentStorage;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Core.Crawling;
using MultiModalSearch.Core.Indexing;
using MultiModalSearch.Core.Ingestion;
using MultiModalSearch.Documents.Rendering;
using MultiModalSearch.Hosting;
using MultiModalSearch.Models.Bert;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;

namespace MultiModalSearch.Cli.Commands;

/// <summary><c>mms ingest PATH... --collection NAME</c>: documents into passages and figure crops; resumable, incremental, deduplicated like <c>mms index</c>.</summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Folders or files to ingest (PDF, Markdown, HTML, plain text)", Arity = ArgumentArity.OneOrMore };
        var collection = CommonOptions.Collection();
        var model = CommonOptions.Model();
        var textModel = new Option<string?>("--text-model")
        {
            Description = "Sentence embedder (folder or Hugging Face id) for passages and captions; default: none (full text, and CLIP for figures)",
        };
        var db = CommonOptions.Db();
        var include = new Option<string[]>("--include") { Description = "Glob of files to ingest, relative to each path (repeatable)" };
        var exclude = new Option<string[]>("--exclude") { Description = "Glob of files or folders to skip (repeatable)" };
        var hidden = new Option<bool>("--hidden") { Description = "Also ingest hidden files and folders" };
        var prune = new Option<bool>("--prune") { Description = "Mark ingested files under PATHS that no longer exist as removed (their passages and figures go)" };
        var maxPages = CommonOptions.PositiveCount("--max-pages", "Refuse documents with more pages (default 2000)");
        var device = CommonOptions.Device();
        var dtype = CommonOptions.DType();
        var json = CommonOptions.Json();
        var command = new Command("ingest", "Ingest documents into a collection as passages and figure crops (resumable: run the same command again after a crash)")
        {
            paths, collection, model, textModel, db, include, exclude, hidden, prune, maxPages, device, dtype, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var roots = result.GetValue(paths)!;
            foreach (var root in roots.Where(r => !Directory.Exists(r) && !File.Exists(r)))
            {
                throw new CliUsageException($"no such file or folder: {root}");
            }

            var crawl = new CrawlOptions
            {
                Include = result.GetValue(include) ?? [], Exclude = result.GetValue(exclude) ?? [],
                IncludeHidden = result.GetValue(hidden), IsSupportedName = SupportedDocuments.IsSupported,
            };
            if (!result.GetValue(prune) && !new FileCrawler(crawl).FindsAny(roots, cancellationToken))
            {
                throw new CliUsageException($"nothing to ingest in {string.Join(", ", roots.Select(TextOutput.Path))}: no documents ({string.Join(" ", SupportedDocuments.Extensions)})");
            }

            await using var host = await CliHost.StartAsync(new Dictionary<string, string?> { [ConfigurationKeys.DatabaseUrl] = result.GetValue(db) }, openDatabase: true, cancellationToken);
            var resolved = await ModelDownloads.LocateAsync(host, result.GetValue(model), cancellationToken);
            var compute = ComputeOptions.Resolve(result.GetValue(device)!, result.GetValue(dtype)!, Workload.Bulk);
            using var clip = ClipSession.Open(resolved.Directory, compute);
            using var embedder = result.GetValue(textModel) is { } text ? await OpenTextModelAsync(host, text, compute, cancellationToken) : null;
            var options = new DocumentIngestionOptions
            {
                Indexing = new IndexingOptions
                {
                    Roots = roots.Select(Path.GetFullPath).ToList(),
                    Collection = result.GetValue(collection)!,
                    ModelId = resolved.Id,
                    ModelFingerprint = resolved.Fingerprint,
                    Crawl = crawl,
                    Prune = result.GetValue(prune),
                },
                Extraction = result.GetValue(maxPages) is > 0 and var pages ? Abstractions.Documents.DocumentExtractionOptions.Default with { MaxPages = pages } : Abstractions.Documents.DocumentExtractionOptions.Default,
            };
            var stores = host.Get<IndexingStores>();
            var renderer = FallbackPageRenderer.CreateDefault();
            if (!result.GetValue(json))
            {
                Console.Error.WriteLine($"ingesting into '{options.Indexing.Collection}' with {resolved.Id} for figures" +
                    $"{(embedder is null ? " and full text only for passages" : $" and {embedder.Id} for passages")}, {host.Db.Description}");
            }

            var job = new DocumentIngestionJob(stores, host.Db.Documents, clip, embedder?.Model, renderer, options);
            var summary = await new IndexingProgressView().RunAsync(progress => job.RunAsync(progress, cancellationToken));
            // Not cancellable: after Ctrl+C the summary of what was recorded is still owed.
            var found = (await stores.Collections.FindAsync(options.Indexing.Collection, CancellationToken.None))!;
            var status = await stores.Collections.GetStatusAsync(found, cancellationToken: CancellationToken.None);
            var counts = await host.Db.Documents.CountAsync(found, CancellationToken.None);
            var failures = await stores.Collections.GetRecentFailuresAsync(found, 50, CancellationToken.None);
            if (result.GetValue(json))
            {
                WriteJson(summary, status, counts, failures);
            }
            else
            {
                IndexingSummaryView.Write(summary, status);
                Console.Error.WriteLine($"documents now: {counts.Documents} ({counts.Pages} pages), {counts.Passages} passages, {counts.Figures} figures ({counts.FigureCrops} with a crop)");
                foreach (var failure in failures.Take(10))
                {
                    Console.Error.WriteLine($"failed: {failure.Error}");
                }
            }

            return summary.Interrupted ? 130 : 0;
        });
        return command;
    }

    private static async Task<OpenTextModel> OpenTextModelAsync(CliHost host, string name, ComputeOptions compute, CancellationToken cancellationToken)
    {
        var resolved = await ModelDownloads.LocateAsync(host, name, cancellationToken);
        var embedder = SentenceEmbedder.Open(resolved.Directory, compute);
        return new OpenTextModel(resolved.Id, embedder, new DocumentTextModel(resolved.Id, embedder, embedder.Tokenizer));
    }

    private static void WriteJson(IndexingSummary summary, CollectionStatus status, DocumentCounts counts, IReadOnlyList<AssetFailure> failures) =>
        Console.Out.WriteLine(JsonSerializer.Serialize(new
        {
            summary.Collection, summary.Model, summary.Crawled, summary.Added, summary.Changed, summary.Unchanged,
            summary.Embedded, summary.Reused, summary.Failed, summary.Removed, summary.Interrupted,
            seconds = Math.Round(summary.Seconds, 2), files_per_second = Math.Round(summary.FilesPerSecond, 2),
            crawl_problems = summary.CrawlProblems.Select(p => $"{p.Path}: {p.Message}"),
            status = new { status.Indexed, status.Failed, status.Pending, status.Removed, status.Embeddings },
            documents = new { counts.Documents, counts.Pages, counts.Passages, counts.Figures, figure_crops = counts.FigureCrops },
            failures = failures.Select(f => new { f.Path, f.Error }),
        }, JsonOutput.SerializerOptions));

    /// <summary>The sentence embedder and what ingestion sees of it; disposing it frees the model.</summary>
    private sealed record OpenTextModel(string Id, SentenceEmbedder Embedder, DocumentTextModel Model) : IDisposable
    {
        public void Dispose() => Embedder.Dispose();
    }
}
