using System.CommandLine;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Llava;
using MultiModalSearch.Training.Data;
using MultiModalSearch.Training.Llava;

namespace MultiModalSearch.Cli.Commands;

/// <summary><c>mms eval-llava</c>: how often a LLaVA model's greedy answer to a question names each image (its first caption).</summary>
internal static class EvalLlavaCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "LLaVA model folder (Hugging Face layout) or Hub id", Required = true };
        var data = new Option<string>("--data") { Description = "Images with captions (folder or .jsonl/.csv manifest); the first caption is the expected answer", Required = true };
        var question = new Option<string>("--question") { Description = "Question asked about each image, rendered with the model's chat template", DefaultValueFactory = _ => "What is shown in this figure?" };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Longest answer", DefaultValueFactory = _ => 32 };
        var device = CommonOptions.Device();
        var json = CommonOptions.Json();
        var command = new Command("eval-llava", "Naming accuracy of a LLaVA model: greedy answers compared with each image's captions")
        {
            model, data, question, maxNewTokens, device, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var items = CaptionDataset.Load(parse.GetValue(data)!);
            await using var host = await CliHost.StartAsync(new Dictionary<string, string?>(), openDatabase: false, cancellationToken);
            var resolved = await ModelDownloads.LocateAsync(host, parse.GetValue(model), cancellationToken);
            using var session = LlavaSession.Open(resolved.Directory, ComputeOptions.Resolve(parse.GetValue(device)!, "auto", Workload.Generation));
            var result = NamingEvaluator.Evaluate(session, items, parse.GetValue(question)!, parse.GetValue(maxNewTokens), cancellationToken: cancellationToken);
            Console.WriteLine(parse.GetValue(json) ? result.ToJson() : Describe(result));
            return 0;
        });
        return command;
    }

    internal static string Describe(NamingResult r) =>
        $"images {r.Images}: exact name {r.Exact} ({r.ExactAccuracy:P1}), any caption {r.AnyCaption} ({r.AnyCaptionAccuracy:P1})";
}
