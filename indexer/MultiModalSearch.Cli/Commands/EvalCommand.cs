using System.CommandLine;
using MultiModalSearch.Models.Clip;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Training.Data;
using MultiModalSearch.Training.Evaluation;
using MultiModalSearch.Training.Inputs;

namespace MultiModalSearch.Cli.Commands;

internal static class EvalCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var data = new Option<string>("--data") { Description = "Image/caption pairs: a folder (photo.jpg + photo.txt) or a .jsonl/.csv manifest", Required = true };
        var batchSize = CommonOptions.PositiveCount("--batch-size", "Images or texts per forward pass", defaultValue: 128);
        var device = CommonOptions.Device();
        var dtype = CommonOptions.DType();
        var json = CommonOptions.Json();
        var command = new Command("eval", "Zero-shot retrieval recall (R@1/5/10, mean rank) in both directions, as in the CLIP paper")
        {
            model, data, batchSize, device, dtype, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // The one call site for model resolution: a folder, a Hub id, or the default (Hub model, else the bundled one).
            await using var host = await CliHost.StartAsync(new Dictionary<string, string?>(), openDatabase: false, cancellationToken);
            var directory = (await ModelDownloads.LocateAsync(host, parse.GetValue(model), cancellationToken)).Directory;
            var items = CaptionDataset.Load(parse.GetValue(data)!);
            var compute = ComputeOptions.Resolve(parse.GetValue(device)!, parse.GetValue(dtype)!);
            using var clip = ClipModelLoader.Load(directory, compute);
            var evaluator = new RetrievalEvaluator(new ClipBatchBuilder(ClipInputEncoder.FromModelDirectory(directory)), parse.GetValue(batchSize));
            var result = evaluator.Evaluate(clip, items, cancellationToken);
            Console.WriteLine(parse.GetValue(json) ? result.ToJson() : Describe(result));
            return 0;
        });
        return command;
    }

    private static string Describe(RetrievalResult r) =>
        $"images {r.Images}, texts {r.Texts}\n" +
        $"text->image  R@1 {r.TextToImage.R1:F4}  R@5 {r.TextToImage.R5:F4}  R@10 {r.TextToImage.R10:F4}  mean rank {r.TextToImage.MeanRank:F1}  " +
        $"(chance R@10 {r.ChanceTextToImage(10):F4})\n" +
        $"image->text  R@1 {r.ImageToText.R1:F4}  R@5 {r.ImageToText.R5:F4}  R@10 {r.ImageToText.R10:F4}  mean rank {r.ImageToText.MeanRank:F1}";
}
