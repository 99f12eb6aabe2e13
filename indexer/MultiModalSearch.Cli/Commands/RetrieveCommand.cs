using System.CommandLine;
using System.Text.Json;
using MultiModalSearch.Abstractions.DocumentRetrieval;
using MultiModalSearch.Hosting;

namespace MultiModalSearch.Cli.Commands;

/// <summary><c>mms retrieve --collection C --question Q</c>: the passages and figures of ingested documents that answer a question.</summary>
internal static class RetrieveCommand
{
    public static Command Create()
    {
        var collection = CommonOptions.Collection();
        var question = new Option<string>("--question", "-q") { Description = "The question", Required = true };
        var k = CommonOptions.PositiveCount("-k", "Most sources returned (default 10)", 10);
        var db = CommonOptions.Db();
        var json = CommonOptions.Json();
        var setup = new DocumentRetrievalSetup();
        var command = new Command("retrieve", "Find the passages and figures of a document collection that answer a question") { collection, question, k, db, json };
        foreach (var option in setup.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            await using var host = await CliHost.StartAsync(new Dictionary<string, string?> { [ConfigurationKeys.DatabaseUrl] = result.GetValue(db) }, openDatabase: true, cancellationToken);
            var name = result.GetValue(collection)!;
            using var opened = await setup.OpenAsync(result, host, name, cancellationToken);
            var found = await opened.Retriever.RetrieveAsync(new DocumentQuestion(name, result.GetValue(question)!, result.GetValue(k)), cancellationToken);
            if (result.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    below_floor = found.BelowFloor,
                    stages_run = found.StagesRun,
                    hits = found.Hits.Select(h => new
                    {
                        kind = h.Kind == DocumentHitKind.Passage ? "passage" : "figure",
                        h.Id, document_id = h.DocumentId, document = h.DocumentPath, h.Page,
                        box = h.Box is { } b ? new[] { Math.Round(b.Left, 1), Math.Round(b.Top, 1), Math.Round(b.Right, 1), Math.Round(b.Bottom, 1) } : null,
                        h.Text, heading_path = h.HeadingPath, score = Math.Round(h.Score, 4),
                    }),
                }, JsonOutput.SerializerOptions));
                return 0;
            }

            Console.Error.WriteLine($"stages: {string.Join(", ", found.StagesRun)}");
            if (found.BelowFloor)
            {
                Console.Out.WriteLine("nothing above the relevance floor: the documents do not seem to answer this question");
            }

            foreach (var (hit, rank) in found.Hits.Select((h, i) => (h, i + 1)))
            {
                var text = hit.Text.ReplaceLineEndings(" ");
                Console.Out.WriteLine($"{rank,2}. [{hit.Kind.ToString().ToLowerInvariant()}] {TextOutput.Path(hit.DocumentPath)} p.{hit.Page} {hit.Box}  score {hit.Score:F3}");
                Console.Out.WriteLine($"    {(text.Length > 200 ? text[..200] + "..." : text)}");
            }

            return 0;
        });
        return command;
    }
}
