using System.CommandLine;
using MultiModalSearch.Training.Llava;
using Spectre.Console;
using static TorchSharp.torch;

namespace MultiModalSearch.Cli.Commands;

/// <summary>
/// <c>mms train-llava</c>: trains a small LLaVA-architecture model (its own SentencePiece tokenizer, a Llama decoder and a
/// projector over a frozen CLIP vision tower) to answer a question about each image with the image's first caption.
/// </summary>
internal static class TrainLlavaCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Training images with captions (folder or .jsonl/.csv manifest); the first caption is the answer", Required = true };
        var vision = new Option<string>("--vision") { Description = "CLIP model folder whose vision tower (frozen) and preprocessing the model uses", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder (Hugging Face llava-hf layout)", Required = true };
        var evalData = new Option<string?>("--eval-data") { Description = "Held-out images answered after training; figures written to OUT/eval.json" };
        var questions = new Option<string[]>("--question") { Description = "Question asked about each image (repeatable; the first is evaluated)", DefaultValueFactory = _ => ["What is shown in this figure?"] };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the data", DefaultValueFactory = _ => 20 };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per optimizer step", DefaultValueFactory = _ => 32 };
        var learningRate = new Option<double>("--lr") { Description = "Peak learning rate", DefaultValueFactory = _ => 3e-3 };
        var warmup = new Option<int>("--warmup") { Description = "Linear warm-up steps before the cosine decay", DefaultValueFactory = _ => 100 };
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW weight decay on matrices", DefaultValueFactory = _ => 0.05 };
        var seed = new Option<int>("--seed") { Description = "Seed for initialisation, data order and augmentation", DefaultValueFactory = _ => 0 };
        var hidden = new Option<int>("--hidden-size") { Description = "Decoder width", DefaultValueFactory = _ => 128 };
        var intermediate = new Option<int>("--intermediate-size") { Description = "Decoder MLP width", DefaultValueFactory = _ => 352 };
        var layers = new Option<int>("--layers") { Description = "Decoder layers", DefaultValueFactory = _ => 2 };
        var heads = new Option<int>("--heads") { Description = "Attention heads", DefaultValueFactory = _ => 4 };
        var keyValueHeads = new Option<int>("--kv-heads") { Description = "Key/value heads (grouped-query attention)", DefaultValueFactory = _ => 2 };
        var pieces = new Option<int>("--vocab-size") { Description = "SentencePiece pieces learned from the prompts and answers", DefaultValueFactory = _ => 1024 };
        var featureLayer = new Option<int>("--vision-feature-layer") { Description = "Vision hidden state read (-2: the second-to-last layer, as LLaVA-1.5)", DefaultValueFactory = _ => -2 };
        var strategy = new Option<string>("--vision-feature-strategy") { Description = "default (drop the class token, as LLaVA-1.5) or full (keep it)", DefaultValueFactory = _ => "default" };
        var saveFp16 = new Option<bool>("--save-fp16") { Description = "Store model.safetensors in float16 (half the size)" };
        var augmentation = new AugmentationFlags();
        var command = new Command("train-llava", "Train a small LLaVA model over a CLIP vision tower to answer a question about each image with its caption")
        {
            data, vision, output, evalData, questions, epochs, batchSize, learningRate, warmup, weightDecay, seed,
            hidden, intermediate, layers, heads, keyValueHeads, pieces, featureLayer, strategy, saveFp16,
        };
        augmentation.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var job = new LlavaTrainingJob
            {
                Data = parse.GetValue(data)!,
                Vision = parse.GetValue(vision)!,
                Output = parse.GetValue(output)!,
                EvalData = parse.GetValue(evalData),
                SaveDType = parse.GetValue(saveFp16) ? ScalarType.Float16 : ScalarType.Float32,
                Options = new LlavaTrainingOptions
                {
                    Questions = parse.GetValue(questions)!,
                    Epochs = parse.GetValue(epochs),
                    BatchSize = parse.GetValue(batchSize),
                    LearningRate = parse.GetValue(learningRate),
                    WarmupSteps = parse.GetValue(warmup),
                    WeightDecay = parse.GetValue(weightDecay),
                    Seed = parse.GetValue(seed),
                    Augmentation = augmentation.Read(parse),
                    Shape = new LlavaModelShape
                    {
                        HiddenSize = parse.GetValue(hidden),
                        IntermediateSize = parse.GetValue(intermediate),
                        Layers = parse.GetValue(layers),
                        AttentionHeads = parse.GetValue(heads),
                        KeyValueHeads = parse.GetValue(keyValueHeads),
                        TokenizerPieces = parse.GetValue(pieces),
                        VisionFeatureLayer = parse.GetValue(featureLayer),
                        VisionFeatureSelectStrategy = parse.GetValue(strategy)!,
                    },
                },
            };
            return Task.FromResult(Run(job, cancellationToken));
        });
        return command;
    }

    private static int Run(LlavaTrainingJob job, CancellationToken cancellationToken)
    {
        LlavaTrainingResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("training", maxValue: 1);
                var reporter = new SynchronousProgress<LlavaTrainingProgress>(p => Show(task, p));
                result = LlavaTrainingRunner.Run(job, reporter, cancellationToken);
            });
        if (result is not { Completed: true })
        {
            Console.Error.WriteLine("stopped before the end of training; nothing was saved");
            return 130;
        }

        if (result.Evaluation is { } e)
        {
            Console.WriteLine(EvalLlavaCommand.Describe(e));
        }

        Console.WriteLine($"saved {job.Output}");
        return 0;
    }

    private static void Show(ProgressTask task, LlavaTrainingProgress p)
    {
        task.MaxValue = p.TotalSteps;
        task.Value = p.Step;
        task.Description = $"epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F4} lr {p.LearningRate:G3} {p.SamplesPerSecond:F0}/s";
        if (p.EpochLoss is { } loss)
        {
            AnsiConsole.MarkupLineInterpolated($"epoch {p.Epoch}: mean loss {loss:F4}");
        }
    }
}
