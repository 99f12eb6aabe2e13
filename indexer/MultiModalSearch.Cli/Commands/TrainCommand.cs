using System.CommandLine;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Training;
using MultiModalSearch.Training.Evaluation;
using MultiModalSearch.Training.Augmentation;
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
        var shift = new Option<int>("--augment-shift") { Description = "Random image translation of up to N pixels", DefaultValueFactory = _ => 0 };
        var zoom = new Option<double>("--augment-zoom") { Description = "Random image zoom by up to this fraction either way (e.g. 0.15)", DefaultValueFactory = _ => 0 };
        var hue = Augmentation("--augment-hue", "P:S", "hue rotation by up to S x 180 degrees (S in (0, 1])");
        var channels = Augmentation("--augment-channels", "P", "a random permutation of the R, G, B channels");
        var saturation = Augmentation("--augment-saturation", "P:S", "saturation times a factor in [1-S, 1+S]");
        var brightness = Augmentation("--augment-brightness", "P:S", "brightness times a factor in [1-S, 1+S]");
        var contrast = Augmentation("--augment-contrast", "P:S", "contrast times a factor in [1-S, 1+S]");
        var grayscale = Augmentation("--augment-grayscale", "P", "conversion to grey");
        var lineWeight = Augmentation("--augment-line-weight", "P:S", "dark strokes thickened or thinned by a min/max filter of radius up to S px (1-3)");
        var downscale = Augmentation("--augment-downscale", "P:S", "detail lost by shrinking to a scale in [1-S, 1) and back (S up to 0.9)");
        var sharpness = Augmentation("--augment-sharpness", "P:S", "blur or sharpen: a factor in [1-S, 1+S] against a 3x3 blur (0 = blurred)");
        var posterise = Augmentation("--augment-posterise", "P:S", "up to S (1-7) low bits of each colour channel dropped");
        var saveFp16 = new Option<bool>("--save-fp16") { Description = "Store model.safetensors in float16 (half the size)" };
        var device = CommonOptions.Device();
        var dtype = CommonOptions.DType();
        var command = new Command("train", "Contrastive (CLIP) training or fine-tuning on image/caption pairs")
        {
            data, init, output, tokenizer, epochs, batchSize, learningRate, warmup, weightDecay, accumulate, freeze, projectionsOnly,
            evalData, evalEvery, resume, seed, checkpointEvery, shift, zoom, hue, channels, saturation, brightness, contrast, grayscale,
            lineWeight, downscale, sharpness, posterise, saveFp16, device, dtype,
        };
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
                    Augmentation = new ImageAugmentationOptions
                    {
                        Shift = parse.GetValue(shift),
                        Zoom = parse.GetValue(zoom),
                        Hue = parse.GetValue(hue),
                        Channels = parse.GetValue(channels),
                        Saturation = parse.GetValue(saturation),
                        Brightness = parse.GetValue(brightness),
                        Contrast = parse.GetValue(contrast),
                        Grayscale = parse.GetValue(grayscale),
                        LineWeight = parse.GetValue(lineWeight),
                        Downscale = parse.GetValue(downscale),
                        Sharpness = parse.GetValue(sharpness),
                        Posterise = parse.GetValue(posterise),
                    },
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

    /// <summary>An augmentation flag: PROBABILITY or PROBABILITY:STRENGTH, off when absent.</summary>
    private static Option<RandomAugmentation> Augmentation(string name, string format, string what) => new(name)
    {
        Description = $"With probability P per image: {what}",
        HelpName = format,
        CustomParser = result =>
        {
            try
            {
                return RandomAugmentation.Parse(result.Tokens.Single().Value);
            }
            catch (FormatException e)
            {
                result.AddError($"{name}: {e.Message}");
                return RandomAugmentation.Off;
            }
        },
    };

    private static TowerFreeze ParseFreeze(string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or "none" => TowerFreeze.None,
        "vision" => TowerFreeze.Vision,
        "text" => TowerFreeze.Text,
        _ => throw new CliUsageException($"--freeze must be vision or text (got '{value}')"),
    };
}
