using System.CommandLine;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Api;
using MultiModalSearch.Core.Collections;
using MultiModalSearch.Core.Indexing;
using MultiModalSearch.Core.Retrieval;
using MultiModalSearch.Hosting;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;
using Spectre.Console;

namespace MultiModalSearch.Cli.Commands;

/// <summary>
/// <c>mms demo</c>: the first thing a new user runs. Indexes the bundled sample archive into the embedded database
/// with the default model and shows a few searches, then ingests the bundled illustrated pages and asks them questions
/// with the bundled emoji-llava, so every part is seen working once. With <c>--serve</c> (what
/// demo.sh passes) it then serves the search page over the demo collection until Ctrl+C.
/// </summary>
internal static class DemoCommand
{
    // Phrased like emoji names: the bundled offline model learnt from those (a real CLIP takes any phrasing).
    private static readonly string[] Queries = ["cat", "pizza", "cloud with rain", "car", "smiling face", "birthday cake"];

    // Two questions the bundled emoji-llava answers from a figure (the harbour's caption does not say what it shows; the
    // pizza's section does, so the quoted passage agrees), and one the illustrated sample does not hold.
    private static readonly string[] Questions =
    [
        "What did we see at the harbour on the third day?",
        "What did we have for dinner on Friday?",
        "Who won the 1998 football world cup?",
    ];

    /// <summary>The document collection is the photo collection's name plus this: one per CLIP model, like it.</summary>
    private const string DocumentsSuffix = "-illustrated";

    public static Command Create()
    {
        var model = CommonOptions.Model();
        var db = CommonOptions.Db();
        var samples = new Option<string?>("--samples") { Description = "Folder to index (default: the bundled samples/emoji)" };
        var serve = new Option<bool>("--serve") { Description = "Then start the query service and its web page over the demo collection (Ctrl+C stops it)" };
        var urls = new Option<string?>("--urls") { Description = "Where --serve listens (default: http://127.0.0.1:8080, or Urls in appsettings.json)" };
        var noAsk = new Option<bool>("--no-ask") { Description = "Skip the document part (ingesting samples/illustrated and asking it questions)" };
        var command = new Command("demo", "Index the bundled sample images and run a few searches, then ask the bundled illustrated pages a few questions")
        {
            model, db, samples, noAsk, serve, urls,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var collection = await IndexAndSearchAsync(result.GetValue(samples) ?? FindBundled("samples", "emoji"), result.GetValue(model), result.GetValue(db), cancellationToken);
            if (!result.GetValue(noAsk))
            {
                await IngestAndAskAsync(result.RootCommandResult.Command, collection + DocumentsSuffix, result.GetValue(model), result.GetValue(db), cancellationToken);
            }

            if (result.GetValue(serve))
            {
                await ServeAsync(collection, result.GetValue(db), result.GetValue(urls), cancellationToken);
            }

            return 0;
        });
        return command;
    }

    /// <summary>Indexes the folder into the demo collection and shows a few searches; returns the collection's name.</summary>
    private static async Task<string> IndexAndSearchAsync(string folder, string? modelId, string? databaseUrl, CancellationToken cancellationToken)
    {
        await using var host = await CliHost.StartAsync(new Dictionary<string, string?> { [ConfigurationKeys.DatabaseUrl] = databaseUrl }, openDatabase: true, cancellationToken);
        var resolved = await ModelDownloads.LocateAsync(host, modelId, cancellationToken);
        var collection = "demo-" + Sanitize(resolved.Id);
        using var session = ClipSession.Open(resolved.Directory, ComputeOptions.Resolve("auto", "auto", Workload.Bulk));
        var console = AnsiConsole.Console;
        console.MarkupLine($"[bold]MultiModalSearch demo[/]: model [green]{Markup.Escape(resolved.Id)}[/] on {session.Embedder.Compute.DeviceName}, {Markup.Escape(host.Db.Description)}");
        if (await DisposableCollection.DeleteIfModelChangedAsync(host.Get<ICollectionStore>(), collection, resolved.Fingerprint, cancellationToken))
        {
            console.MarkupLine($"the model's files have changed since collection [green]{collection}[/] was indexed: it is indexed again from scratch");
        }

        await DisposableCollection.DeleteIfModelChangedAsync(host.Get<ICollectionStore>(), collection + DocumentsSuffix, resolved.Fingerprint, cancellationToken);

        console.MarkupLine($"indexing {Markup.Escape(folder)} into collection [green]{collection}[/] ...");
        var job = new IndexingJob(host.Get<IndexingStores>(), session, new IndexingOptions { Roots = [Path.GetFullPath(folder)], Collection = collection, ModelId = resolved.Id, ModelFingerprint = resolved.Fingerprint });
        var summary = await new IndexingProgressView().RunAsync(progress => job.RunAsync(progress, cancellationToken));
        console.MarkupLine($"{summary.Crawled} files: {summary.Embedded} embedded, {summary.Reused} reused, {summary.Unchanged} unchanged, {summary.Failed} failed ({summary.Seconds:F1} s)");
        var search = host.Get<SearchService>();
        foreach (var query in Queries)
        {
            var found = await search.SearchAsync(new SearchQuery { Collection = collection, Text = query, K = 5 }, cancellationToken);
            console.MarkupLine($"\n[bold]search[/] \"{Markup.Escape(query)}\"");
            foreach (var (hit, rank) in found.Hits.Select((h, i) => (h, i + 1)))
            {
                console.MarkupLine($"  {rank}. {hit.Score:F3}  {Markup.Escape(Path.GetFileName(hit.Paths[0]))}");
            }
        }

        console.MarkupLine($"\nTry your own: [blue]./mms search --collection {collection} --text \"...\"[/], or index your photos with [blue]./mms index ~/Pictures --collection photos[/]");
        return collection;
    }

    /// <summary>The query service with its page, opened on the demo collection; Ctrl+C lets requests in flight finish, then stops.</summary>
    private static async Task ServeAsync(string collection, string? databaseUrl, string? urls, CancellationToken cancellationToken)
    {
        await using var app = await ApiApplication.BuildAsync(new Dictionary<string, string?> { ["Urls"] = urls, [ConfigurationKeys.DatabaseUrl] = databaseUrl }, cancellationToken: cancellationToken);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:8080";
        var page = $"{address.TrimEnd('/')}/?collection={Uri.EscapeDataString(collection)}";
        AnsiConsole.MarkupLine($"\n[bold]Search page:[/] [link={page}]{Markup.Escape(page)}[/]  (open it in your browser; Ctrl+C stops the service)");
        await app.WaitForShutdownAsync(cancellationToken);
        await app.StopAsync(CancellationToken.None);
    }

    /// <summary>
    /// Ingests the illustrated sample and asks it <see cref="Questions"/> with the bundled emoji-llava, through the
    /// ingest and ask commands themselves, so the demo shows exactly what a user typing them sees.
    /// </summary>
    private static async Task IngestAndAskAsync(Command root, string documentCollection, string? clipModel, string? databaseUrl, CancellationToken cancellationToken)
    {
        if (TryFindBundled("samples", "illustrated") is not { } folder || TryFindBundled("models", "emoji-llava") is not { } generator)
        {
            // An installation without them (the container image ships models/ only): the searches above are the demo.
            AnsiConsole.MarkupLine("\n(samples/illustrated or models/emoji-llava is not installed here, so the document questions are skipped)");
            return;
        }

        string[] common = [.. databaseUrl is null ? [] : new[] { "--db", databaseUrl }];
        AnsiConsole.MarkupLine($"\n[bold]documents[/]: ingesting {Markup.Escape(folder)} into collection [green]{documentCollection}[/] ...");
        await RunAsync(root, ["ingest", folder, "--collection", documentCollection, .. clipModel is null ? [] : new[] { "--model", clipModel }, .. common], cancellationToken);
        foreach (var question in Questions)
        {
            AnsiConsole.MarkupLine($"\n[bold]ask[/] \"{Markup.Escape(question)}\"  (generator: the bundled emoji-llava)");
            await RunAsync(root, ["ask", "--collection", documentCollection, question, "--llm-model", generator, .. common], cancellationToken);
        }

        AnsiConsole.MarkupLine($"\nTry your own: [blue]./mms ask --collection {documentCollection} \"...\" --llm-model models/emoji-llava[/], or ingest your documents with [blue]./mms ingest ~/Documents --collection docs[/]");
    }

    private static async Task RunAsync(Command root, string[] arguments, CancellationToken cancellationToken)
    {
        var code = await root.Parse(arguments).InvokeAsync(CommandRunner.Invocation(), cancellationToken);
        if (code != 0)
        {
            throw new InvalidOperationException($"'mms {arguments[0]}' in the demo ended with exit code {code}");
        }
    }

    private static string FindBundled(string folder, string name) =>
        TryFindBundled(folder, name) ?? throw new DirectoryNotFoundException($"the bundled {folder}/{name} folder was not found; pass --samples FOLDER");

    private static string? TryFindBundled(string folder, string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, folder, name);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string Sanitize(string id) => new(id.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray());
}
