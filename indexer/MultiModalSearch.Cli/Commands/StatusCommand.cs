using System.CommandLine;
using System.Text.Json;

namespace MultiModalSearch.Cli.Commands;

/// <summary><c>mms status --collection NAME</c>: counts by status, recent failures, model and index state.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var collection = IndexCommand.CollectionOption();
        var db = IndexCommand.DbOption();
        var json = CommonOptions.Json();
        var failures = new Option<int>("--failures") { Description = "How many recent failures to list", DefaultValueFactory = _ => 10 };
        var command = new Command("status", "Show a collection's counts, recent failures and model") { collection, db, json, failures };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var database = await DatabaseSession.OpenAsync(result.GetValue(db), cancellationToken);
            var name = result.GetValue(collection)!;
            var found = await database.Storage.FindCollectionAsync(name, cancellationToken)
                ?? throw new ArgumentException($"no collection '{name}' in {database.Description}");
            var status = await database.Storage.GetStatusAsync(found, cancellationToken: cancellationToken);
            var recent = await database.Storage.GetRecentFailuresAsync(found, result.GetValue(failures), cancellationToken);
            var searchIndex = await database.Storage.HasSearchIndexAsync(found, cancellationToken) ? "ready" : "absent (bulk load in progress or interrupted; searches scan exactly until the next index run completes)";
            if (result.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    collection = found.Name, model = found.ModelId, dimension = found.EmbeddingDim, precision = found.Precision.ToString().ToLowerInvariant(),
                    indexed = status.Indexed, failed = status.Failed, embeddings = status.Embeddings, pending = status.Pending,
                    in_progress = status.InProgress, removed = status.Removed, search_index = searchIndex,
                    recent_failures = recent.Select(f => new { path = f.Path, error = f.Error, at = f.FailedAt }),
                }, JsonOutput.SerializerOptions));
                return 0;
            }

            Console.Out.WriteLine($"collection  {found.Name}  (model {found.ModelId}, {found.EmbeddingDim}-d {found.Precision.ToString().ToLowerInvariant()}, {database.Description})");
            Console.Out.WriteLine($"indexed     {status.Indexed} paths, {status.Embeddings} distinct contents embedded");
            Console.Out.WriteLine($"pending     {status.Pending} ({status.InProgress} claimed by a worker)");
            Console.Out.WriteLine($"failed      {status.Failed}");
            Console.Out.WriteLine($"removed     {status.Removed}");
            Console.Out.WriteLine($"search index {searchIndex}");
            foreach (var failure in recent)
            {
                Console.Out.WriteLine($"  failed {failure.FailedAt:u}  {failure.Path}: {failure.Error}");
            }

            return 0;
        });
        return command;
    }
}
