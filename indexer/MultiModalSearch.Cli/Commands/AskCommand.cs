using System.CommandLine;
using System.Text.Json;
using MultiModalSearch.Abstractions.DocumentRetrieval;
using MultiModalSearch.Core.Answers;
using MultiModalSearch.Hosting;
using MultiModalSearch.Models.Compute;

namespace MultiModalSearch.Cli.Commands;

/// <summary>
/// <c>mms ask</c>: answers a question from a document collection with numbered citations, streaming the text; then lists
/// the cited sources. A question the documents do not answer gets a refusal that says what was searched; with no
/// generator the answer is extractive. --json prints one object instead (the shape of the API's done event plus sources).
/// </summary>
internal static class AskCommand
{
    /// <summary>camelCase like the API's events, unlike the snake_case of the other commands: one answer shape for both hosts.</summary>
    private static readonly JsonSerializerOptions AnswerJson = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var collection = CommonOptions.Collection();
        var question = new Argument<string>("question") { Description = "The question, e.g. \"Which connector does the fan use?\"" };
        var k = CommonOptions.PositiveCount("-k", "The most sources retrieved (1-50)", 8);
        var textModel = CommonOptions.DocumentTextModel();
        var reranker = CommonOptions.DocumentReranker();
        var llmEndpoint = CommonOptions.LlmEndpoint();
        var llmModel = CommonOptions.LlmModel();
        var db = CommonOptions.Db();
        var device = new Option<string?>("--device") { Description = "For the models run in this process (generator, text model, reranker): auto (CUDA when present), cpu, cuda or cuda:N (default: $MMS_DEVICE, else auto)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object {answer, citations, removedCitations, refused, extractive, singleFigure, sources} instead of streaming" };
        var command = new Command("ask", "Answer a question from a document collection, citing its passages and figures")
        {
            collection, question, k, textModel, reranker, llmEndpoint, llmModel, db, device, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            OpenMpWaitPolicy.PreferPassive();
            await using var host = await CliHost.StartAsync(new Dictionary<string, string?>
            {
                [ConfigurationKeys.DatabaseUrl] = result.GetValue(db),
                [ConfigurationKeys.Device] = result.GetValue(device),
                [ConfigurationKeys.TextModel] = result.GetValue(textModel),
                [ConfigurationKeys.Reranker] = result.GetValue(reranker),
                [ConfigurationKeys.LlmEndpoint] = result.GetValue(llmEndpoint),
                [ConfigurationKeys.LlmModel] = result.GetValue(llmModel),
            }, openDatabase: true, cancellationToken);
            var request = new AnswerRequest(result.GetValue(collection)!, result.GetValue(question)!, result.GetValue(k));
            IReadOnlyList<AnswerSource> sources = [];
            AnswerOutcome? outcome = null;
            var stream = !result.GetValue(json);
            await foreach (var e in host.Get<GroundedAnswerService>().AnswerAsync(request, cancellationToken))
            {
                switch (e)
                {
                    case AnswerSourcesEvent s:
                        sources = s.Sources;
                        break;
                    case AnswerTokenEvent token when stream:
                        Console.Out.Write(token.Text);
                        Console.Out.Flush();
                        break;
                    case AnswerDoneEvent done:
                        outcome = done.Outcome;
                        break;
                }
            }

            if (outcome is null)
            {
                throw new InvalidOperationException("the answer ended without its final event");
            }

            if (!stream)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    answer = outcome.Answer,
                    citations = outcome.Citations,
                    removedCitations = outcome.RemovedCitations,
                    refused = outcome.Refused,
                    extractive = outcome.Extractive,
                    singleFigure = outcome.SingleFigure,
                    sources = sources.Select(s => new
                    {
                        n = s.N,
                        kind = s.IsFigure ? "figure" : "passage",
                        documentId = s.Hit.DocumentId,
                        documentPath = s.Hit.DocumentPath,
                        page = s.Hit.Page,
                        box = s.Hit.Box is { } b ? new { left = b.Left, top = b.Top, right = b.Right, bottom = b.Bottom } : null,
                        text = s.Hit.Text,
                    }),
                }, AnswerJson));
                return 0;
            }

            Console.Out.WriteLine();
            WriteSources(sources, outcome);
            return 0;
        });
        return command;
    }

    private static void WriteSources(IReadOnlyList<AnswerSource> sources, AnswerOutcome outcome)
    {
        var cited = sources.Where(s => outcome.Citations.Contains(s.N)).ToList();
        if (cited.Count > 0)
        {
            Console.Out.WriteLine();
            foreach (var source in cited)
            {
                var what = source.Hit.Kind == DocumentHitKind.Figure ? "figure" : "passage";
                Console.Out.WriteLine($"[{source.N}] {source.Hit.DocumentPath}, page {source.Hit.Page} ({what})");
            }
        }

        if (outcome.SingleFigure)
        {
            Console.Error.WriteLine("note: the model reads one figure at a time: it was shown only the figure that goes with the best source, and the best passage is quoted after its answer");
        }

        if (outcome.RemovedCitations.Count > 0)
        {
            Console.Error.WriteLine($"note: the model cited sources it was not given ({string.Join(", ", outcome.RemovedCitations.Select(n => $"[{n}]"))}); those citations were removed");
        }
    }
}
