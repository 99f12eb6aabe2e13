using System.CommandLine;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Training;
using MultiModalSearch.Training.Evaluation;
using Spectre.Console;
using static TorchSharp.torch;

namespace MultiModalSearch.Cli.Commands;

internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Training pairs: a folder (photo.jpg + photo.txt) or a .jsonl/.csv manifest", Required = true };
        var init = new Option<string>("--init") { Description = "Model to fine-tune (folder or Hub id), or a config.json to train from scratch", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder (Hugging Face layout; checkpoints in OUT/checkpoint)", Required = true };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "Folder with the tokenizer files (default: the --init folder or the config's folder)" };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the data", DefaultValueFactory = _ => 10 };
        var batchSize = new Option<int>("--batch-size") { Description = "Pairs per contrastive batch", DefaultValueFactory = _ => 64 };
        var learningRate = new Option<double>("--lr") { Description = "Peak learning rate", DefaultValueFactory = _ => 5e-4 };
        var warmup = new Option<int>("--warmup") { Description = "Linear warm-up steps before the cosine decay", DefaultValueFactory = _ => 100 };
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW weight decay (not applied to gains, biases, embeddings, temperature)", DefaultValueFactory = _ => 0.2 };
        var accumulate = new Option<int>("--accumulate") { Description = "Micro-batches per batch (same loss, less memory)", DefaultValueFactory = _ => 1 };
        var freeze = new Option<string?>("--freeze") { Description = "Keep a tower fixed: vision or text" };
        var projectionsOnly = new Option<bool>("--projections-only") { Description = "Train only the projections and the temperature" };
        var evalData = new Option<string?>("--eval-data") { Description = "Held-out pairs evaluated (retrieval recall) at each epoch end" };
        var evalEvery = new Option<int>("--eval-every") { Description = "Evaluate on --eval-data every N epochs (and after the last)", DefaultValueFactory = _ => 1 };
        var resume = new Option<bool>("--resume") { Description = "Continue from OUT/checkpoint" };
        var seed = new Option<int>("--seed") { Description = "Seed for initialisation, data order and augmentation", DefaultValueFactory = _ => 0 };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Checkpoint every N steps (0: at epoch ends only)", DefaultValueFactory = _ => 0 };
        var augmentation = new AugmentationFlags();
        var saveFp16 = new Option<bool>("--save-fp16") { Description = "Store model.safetensors in float16 (half the size)" };
        var device = CommonOptions.Device();
        var dtype = CommonOptions.DType();
        var command = new Command("train", "Contrastive (CLIP) training or fine-tuning on image/caption pairs")
        {
            data, init, output, tokenizer, epochs, batchSize, learningRate, warmup, weightDecay, accumulate, freeze, projectionsOnly,
            evalData, evalEvery, resume, seed, checkpointEvery, saveFp16, device, dtype,
        };
        augmentation.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            // A folder or config.json as given; anything else is a model id, resolved (and downloaded) like --model.
            var initArgument = parse.GetValue(init)!;
            await using var host = await CliHost.StartAsync(new Dictionary<string, string?>(), openDatabase: false, cancellationToken);
            var initPath = File.Exists(initArgument) || Directory.Exists(initArgument)
                ? initArgument
                : (await ModelDownloads.LocateAsync(host, initArgument, cancellationToken)).Directory;
            var job = new TrainingJob
            {
                Data = parse.GetValue(data)!,
                Init = initPath,
                Output = parse.GetValue(output)!,
                Tokenizer = parse.GetValue(tokenizer),
                EvalData = parse.GetValue(evalData),
                Resume = parse.GetValue(resume),
                SaveDType = parse.GetValue(saveFp16) ? ScalarType.Float16 : ScalarType.Float32,
                Options = new TrainingOptions
                {
                    Epochs = parse.GetValue(epochs),
                    BatchSize = parse.GetValue(batchSize),
                    LearningRate = parse.GetValue(learningRate),
                    WarmupSteps = parse.GetValue(warmup),
                    Accumulate = parse.GetValue(accumulate),
                    Optimizer = new() { WeightDecay = parse.GetValue(weightDecay) },
                    Freeze = ParseFreeze(parse.GetValue(freeze)),
                    ProjectionsOnly = parse.GetValue(projectionsOnly),
                    Seed = parse.GetValue(seed),
                    CheckpointEvery = parse.GetValue(checkpointEvery),
                    EvalEvery = parse.GetValue(evalEvery),
                    Augmentation = augmentation.Read(parse),
                    Compute = ComputeOptions.Resolve(parse.GetValue(device)!, parse.GetValue(dtype)!, Workload.Training),
                },
            };
            return Run(job, cancellationToken);
        });
        return command;
    }

    private static int Run(TrainingJob job, CancellationToken cancellationToken)
    {
        TrainingResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("training", maxValue: 1);
                var reporter = new SynchronousProgress<TrainingProgress>(p => Show(task, p));
                result = ClipTrainingRunner.Run(job, reporter, cancellationToken);
            });
        if (result is not { Completed: true })
        {
            Console.Error.WriteLine($"stopped; resume with the same command plus --resume (checkpoint: {job.CheckpointDirectory})");
            return 130;
        }

        Console.WriteLine($"saved {job.Output}");
        return 0;
    }

    private static void Show(ProgressTask task, TrainingProgress p)
    {
        task.MaxValue = p.TotalSteps;
        task.Value = p.Step;
        task.Description = $"epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F4} lr {p.LearningRate:G3} {p.SamplesPerSecond:F0}/s";
        if (p.Evaluation is { } e)
        {
            AnsiConsole.MarkupLineInterpolated($"epoch {p.Epoch}: loss {p.Loss:F4}, {Describe(e)}");
        }
    }

    internal static string Describe(RetrievalResult e) =>
        $"text->image R@1 {e.TextToImage.R1:P1} R@5 {e.TextToImage.R5:P1} R@10 {e.TextToImage.R10:P1}, " +
        $"image->text R@1 {e.ImageToText.R1:P1} R@5 {e.ImageToText.R5:P1} R@10 {e.ImageToText.R10:P1} ({e.Images} images, {e.Texts} texts)";

    private static TowerFreeze ParseFreeze(string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or "none" => TowerFreeze.None,
        "vision" => TowerFreeze.Vision,
        "text" => TowerFreeze.Text,
        _ => throw new CliUsageException($"--freeze must be vision or text (got '{value}')"),
    };
}
