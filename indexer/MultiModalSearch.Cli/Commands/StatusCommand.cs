using System.CommandLine;
using System.Text.Json;
using MultiModalSearch.Core.Collections;
using MultiModalSearch.Hosting;

namespace MultiModalSearch.Cli.Commands;

/// <summary><c>mms status --collection NAME</c>: counts by status, recent failures, model and index state.</summary>
internal static class StatusCommand
{
    private const string IndexAbsent = "absent (bulk load in progress or interrupted; searches scan exactly until the next index run completes)";

    public static Command Create()
    {
        var collection = CommonOptions.Collection();
        var db = CommonOptions.Db();
        var json = CommonOptions.Json();
        var failures = new Option<int>("--failures") { Description = "How many recent failures to list (0 or more)", DefaultValueFactory = _ => 10 };
        var command = new Command("status", "Show a collection's counts, recent failures and model") { collection, db, json, failures };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var host = await CliHost.StartAsync(new Dictionary<string, string?> { [ConfigurationKeys.DatabaseUrl] = result.GetValue(db) }, openDatabase: true, cancellationToken);
            var report = await CollectionErrors.InAsync(host, () =>
                host.Get<CollectionReporter>().ReportAsync(result.GetValue(collection)!, result.GetValue(failures), cancellationToken));
            if (result.GetValue(json))
            {
                WriteJson(report);
            }
            else
            {
                WriteText(report, host.Db.Description);
            }

            return 0;
        });
        return command;
    }

    private static void WriteJson(CollectionReport report)
    {
        var (found, status) = (report.Collection, report.Status);
        Console.Out.WriteLine(JsonSerializer.Serialize(new
        {
            collection = found.Name, model = found.ModelId, dimension = found.EmbeddingDim, precision = found.Precision.ToString().ToLowerInvariant(),
            indexed = status.Indexed, failed = status.Failed, embeddings = status.Embeddings, pending = status.Pending,
            in_progress = status.InProgress, removed = status.Removed, search_index = report.SearchIndexReady ? "ready" : IndexAbsent,
            recent_failures = report.RecentFailures.Select(f => new { path = f.Path, error = f.Error, at = f.FailedAt }),
        }, JsonOutput.SerializerOptions));
    }

    private static void WriteText(CollectionReport report, string where)
    {
        var (found, status) = (report.Collection, report.Status);
        Console.Out.WriteLine($"collection  {found.Name}  (model {found.ModelId}, {found.EmbeddingDim}-d {found.Precision.ToString().ToLowerInvariant()}, {where})");
        Console.Out.WriteLine($"indexed     {status.Indexed} paths, {status.Embeddings} distinct contents embedded");
        Console.Out.WriteLine($"pending     {status.Pending} ({status.InProgress} claimed by a worker)");
        Console.Out.WriteLine($"failed      {status.Failed}");
        Console.Out.WriteLine($"removed     {status.Removed}");
        Console.Out.WriteLine($"search index {(report.SearchIndexReady ? "ready" : IndexAbsent)}");
        foreach (var failure in report.RecentFailures)
        {
            Console.Out.WriteLine($"  failed {failure.FailedAt:u}  {TextOutput.Path(failure.Path)}: {failure.Error}");
        }
    }
}
