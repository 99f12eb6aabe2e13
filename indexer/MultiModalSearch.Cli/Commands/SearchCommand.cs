using System.CommandLine;
using System.Text.Json;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;
using MultiModalSearch.Storage.Postgres;

namespace MultiModalSearch.Cli.Commands;

/// <summary><c>mms search --collection NAME (--text T | --image PATH)</c>: nearest contents by cosine similarity.</summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var collection = IndexCommand.CollectionOption();
        var text = new Option<string?>("--text", "-t") { Description = "Find images that match this text" };
        var image = new Option<string?>("--image", "-i") { Description = "Find images similar to this image" };
        var k = new Option<int>("-k", "--top") { Description = "Number of results (1-1000)", DefaultValueFactory = _ => 10 };
        var db = IndexCommand.DbOption();
        var device = CommonOptions.Device();
        var json = CommonOptions.Json();
        var command = new Command("search", "Search a collection by text or by example image") { collection, text, image, k, db, device, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var (query, example) = (result.GetValue(text), result.GetValue(image));
            if ((query is null) == (example is null))
            {
                throw new ArgumentException("give exactly one of --text or --image");
            }

            var top = result.GetValue(k);
            if (top is < 1 or > StorageClient.MaxK)
            {
                throw new ArgumentException($"-k must be between 1 and {StorageClient.MaxK} (got {top})");
            }

            await using var database = await DatabaseSession.OpenAsync(result.GetValue(db), cancellationToken);
            var name = result.GetValue(collection)!;
            var found = await database.Storage.FindCollectionAsync(name, cancellationToken)
                ?? throw new ArgumentException($"no collection '{name}' in {database.Description}; index one first with 'mms index PATH --collection {name}'");
            // The collection's own model: a query embedded by any other model would be meaningless.
            var resolved = await ModelResolution.ResolveCollectionModelAsync(found.ModelId, cancellationToken);
            using var session = ClipSession.Open(resolved.Directory, ComputeOptions.Resolve(result.GetValue(device)!, "auto"));
            var vector = query is not null ? session.EmbedText(query) : session.EmbedImage(File.ReadAllBytes(example!), example!);
            var hits = await database.Storage.SearchAsync(found, vector, top, cancellationToken: cancellationToken);
            if (result.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(hits.Select((h, i) => new { rank = i + 1, score = Math.Round(h.Score, 6), path = h.Paths[0], paths = h.Paths }), JsonOutput.SerializerOptions));
                return 0;
            }

            for (var i = 0; i < hits.Count; i++)
            {
                var others = hits[i].Paths.Length > 1 ? $"  (+{hits[i].Paths.Length - 1} identical)" : "";
                Console.Out.WriteLine($"{i + 1,3}  {hits[i].Score:F4}  {hits[i].Paths[0]}{others}");
            }

            return 0;
        });
        return command;
    }
}
