using System.CommandLine;
using System.Text.Json;
using MultiModalSearch.Models.Bert;
using MultiModalSearch.Models.Compute;

namespace MultiModalSearch.Cli.Commands;

/// <summary><c>mms rerank</c>: a cross-encoder's raw score for each passage against the query, one JSON line per passage in input order.</summary>
internal static class RerankCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m")
        {
            Description = "A cross-encoder reranker (BertForSequenceClassification, one label): a local folder or a Hub id such as cross-encoder/ms-marco-MiniLM-L-6-v2",
            Required = true,
        };
        var query = new Option<string>("--query", "-q") { Description = "The query the passages are scored against", Required = true };
        var passages = new Option<string[]>("--passage", "-p") { Description = "A passage to score (repeatable)", Required = true };
        var device = CommonOptions.Device();
        var dtype = CommonOptions.DType();
        var batchSize = CommonOptions.PositiveCount("--batch-size", "Pairs per model call", defaultValue: 32);
        var command = new Command("rerank", "Score passages against a query with a cross-encoder: {\"passage\": P, \"score\": raw logit} per line, in input order")
        {
            model, query, passages, device, dtype, batchSize,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var host = await CliHost.StartAsync(new Dictionary<string, string?>(), openDatabase: false, cancellationToken);
            var resolved = await ModelDownloads.LocateAsync(host, result.GetValue(model), cancellationToken);
            using var reranker = CrossEncoderReranker.Open(resolved.Directory, ComputeOptions.Resolve(result.GetValue(device)!, result.GetValue(dtype)!));
            var texts = result.GetValue(passages)!;
            var scores = reranker.Score(result.GetValue(query)!, texts, result.GetValue(batchSize));
            using var stdout = Console.OpenStandardOutput();
            for (var i = 0; i < texts.Length; i++)
            {
                using (var writer = new Utf8JsonWriter(stdout, JsonOutput.WriterOptions))
                {
                    writer.WriteStartObject();
                    writer.WriteString("passage", texts[i]);
                    writer.WriteNumber("score", scores[i]);
                    writer.WriteEndObject();
                }

                stdout.WriteByte((byte)'\n');
            }

            return 0;
        });
        return command;
    }
}
