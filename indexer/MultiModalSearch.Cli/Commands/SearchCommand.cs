using System.CommandLine;
using System.Text.Json;
using MultiModalSearch.Core.Retrieval;
using MultiModalSearch.Hosting;

namespace MultiModalSearch.Cli.Commands;

/// <summary><c>mms search --collection NAME (--text T | --image PATH)</c>: nearest contents by cosine similarity.</summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var collection = CommonOptions.Collection();
        var text = new Option<string?>("--text", "-t") { Description = "Find images that match this text" };
        var image = new Option<string?>("--image", "-i") { Description = "Find images similar to this image" };
        var k = new Option<int>("-k", "--top") { Description = $"Number of results (1-{SearchQuery.MaxK})", DefaultValueFactory = _ => 10 };
        var db = CommonOptions.Db();
        var device = CommonOptions.Device();
        var json = CommonOptions.Json();
        var command = new Command("search", "Search a collection by text or by example image") { collection, text, image, k, db, device, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var (query, example) = (result.GetValue(text), result.GetValue(image));
            if ((query is null) == (example is null))
            {
                throw new CliUsageException("give exactly one of --text or --image");
            }

            await using var host = await CliHost.StartAsync(new Dictionary<string, string?>
            {
                [ConfigurationKeys.DatabaseUrl] = result.GetValue(db),
                [ConfigurationKeys.Device] = result.GetValue(device),
            }, openDatabase: true, cancellationToken);
            var search = new SearchQuery
            {
                Collection = result.GetValue(collection)!,
                Text = query,
                Image = example is null ? (ReadOnlyMemory<byte>?)null : QueryImage.Read(example),
                ImageName = example ?? "<upload>",
                K = result.GetValue(k),
            };
            var found = await CollectionErrors.InAsync(host, () => host.Get<SearchService>().SearchAsync(search, cancellationToken));
            if (found.TruncatedQuery is var (tokens, limit))
            {
                Console.Error.WriteLine($"note: the query is {tokens} tokens long and the model reads only the first {limit}: the rest was ignored");
            }

            Render(found, result.GetValue(json));
            return 0;
        });
        return command;
    }

    private static void Render(SearchResults found, bool json)
    {
        var hits = found.Hits;
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(hits.Select((h, i) => new { rank = i + 1, score = Math.Round(h.Score, 6), path = h.Paths[0], paths = h.Paths }), JsonOutput.SerializerOptions));
            return;
        }

        for (var i = 0; i < hits.Count; i++)
        {
            var others = hits[i].Paths.Length > 1 ? $"  (+{hits[i].Paths.Length - 1} identical)" : "";
            Console.Out.WriteLine($"{i + 1,3}  {hits[i].Score:F4}  {TextOutput.Path(hits[i].Paths[0])}{others}");
        }
    }
}
