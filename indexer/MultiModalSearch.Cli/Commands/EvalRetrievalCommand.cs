using System.CommandLine;
using System.Text.Json;
using MultiModalSearch.Core.DocumentRetrieval;
using MultiModalSearch.Hosting;

namespace MultiModalSearch.Cli.Commands;

/// <summary><c>mms eval-retrieval --collection C --questions Q.jsonl</c>: page-level recall, MRR and refusals over a question set.</summary>
internal static class EvalRetrievalCommand
{
    public static Command Create()
    {
        var collection = CommonOptions.Collection();
        var questions = new Option<string>("--questions") { Description = "JSON lines: {\"question\", \"document\", \"pages\": [...]} or {\"question\", \"answerable\": false}", Required = true };
        var db = CommonOptions.Db();
        var json = CommonOptions.Json();
        var setup = new DocumentRetrievalSetup();
        var command = new Command("eval-retrieval", "Score document retrieval on a question set (recall@1/5/10 and MRR at page level, refusals)") { collection, questions, db, json };
        foreach (var option in setup.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(questions)!;
            if (!File.Exists(path))
            {
                throw new CliUsageException($"no such question file: {path}");
            }

            var set = EvaluationQuestion.ReadJsonLines(path);
            await using var host = await CliHost.StartAsync(new Dictionary<string, string?> { [ConfigurationKeys.DatabaseUrl] = result.GetValue(db) }, openDatabase: true, cancellationToken);
            var name = result.GetValue(collection)!;
            using var opened = await setup.OpenAsync(result, host, name, cancellationToken);
            var scores = await RetrievalEvaluation.EvaluateAsync(opened.Retriever, name, set, cancellationToken);
            if (result.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    questions = set.Count, answerable = scores.Answerable, unanswerable = scores.Unanswerable,
                    recall_at_1 = scores.RecallAt1, recall_at_5 = scores.RecallAt5, recall_at_10 = scores.RecallAt10, mrr = scores.Mrr,
                    refused_unanswerable = scores.RefusedUnanswerable, refused_answerable = scores.RefusedAnswerable,
                    stages_run = scores.StagesRun,
                }, JsonOutput.SerializerOptions));
                return 0;
            }

            Console.Out.WriteLine($"{set.Count} questions ({scores.Answerable} answerable), stages: {string.Join(", ", scores.StagesRun)}");
            Console.Out.WriteLine($"recall@1 {scores.RecallAt1:F3}  recall@5 {scores.RecallAt5:F3}  recall@10 {scores.RecallAt10:F3}  MRR {scores.Mrr:F3}");
            Console.Out.WriteLine($"refused: {scores.RefusedUnanswerable:P0} of unanswerable, {scores.RefusedAnswerable:P0} of answerable");
            return 0;
        });
        return command;
    }
}
