using MultiModalSearch.Models.Clip;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Testing;
using MultiModalSearch.Training;
using MultiModalSearch.Training.Augmentation;
using MultiModalSearch.Training.Inputs;
using TorchSharp;

namespace MultiModalSearch.Tests.Training;

public sealed class ClipTrainerTests
{
    /// <summary>Every augmentation on, so a resumed run must restore the generator that all of them draw from.</summary>
    private static readonly ImageAugmentationOptions ResumeAugmentation = new()
    {
        Shift = 2, Zoom = 0.2, Hue = new(0.5, 0.5), Channels = new(0.3, 0), Saturation = new(0.5, 0.5), Brightness = new(0.5, 0.3),
        Contrast = new(0.5, 0.3), Grayscale = new(0.2, 0), LineWeight = new(0.5, 1), Downscale = new(0.5, 0.5),
        Sharpness = new(0.5, 0.8), Posterise = new(0.3, 3),
    };

    [Fact]
    public void ShortRunLowersTheLossAndRaisesRecall()
    {
        using var output = new TemporaryDirectory();
        var items = SyntheticShapes.Items();
        using var model = TinyTraining.CreateModel();
        using var trainer = new ClipTrainer(model, TinyTraining.Options with { Epochs = 15 }, Batches());

        var before = trainer.Evaluate(items);
        var result = trainer.Train(items, items, output.File("checkpoint"), resume: false);

        Assert.True(result.Completed);
        var losses = result.Steps.Select(s => s.Loss).ToList();
        Assert.True(losses.TakeLast(3).Average() < losses.Take(3).Average() - 0.5, $"loss {losses[0]:F3} -> {losses[^1]:F3}");
        Assert.True(result.Evaluation!.TextToImage.R1 > before.TextToImage.R1 + 0.2,
            $"text->image R@1 {before.TextToImage.R1:F3} -> {result.Evaluation.TextToImage.R1:F3}");
        Assert.True(result.Evaluation.TextToImage.MeanRank < before.TextToImage.MeanRank);
    }

    [Fact]
    public void ResumingFromACheckpointRepeatsTheUninterruptedLosses()
    {
        var items = SyntheticShapes.Items();
        var options = TinyTraining.Options with { Epochs = 3, CheckpointEvery = 2, Augmentation = ResumeAugmentation };
        using var straight = new TemporaryDirectory();
        using var interrupted = new TemporaryDirectory();
        var full = Train(options, items, straight.File("checkpoint"), resume: false, stopAfter: null);

        var first = Train(options, items, interrupted.File("checkpoint"), resume: false, stopAfter: 3);
        var resumed = Train(options, items, interrupted.File("checkpoint"), resume: true, stopAfter: null);

        Assert.False(first.Completed);
        Assert.Equal(3, first.Steps.Count);
        // The checkpoint at step 2 is the last one; the resumed run repeats step 3 and goes on to the end.
        Assert.Equal(full.Steps.Skip(2).Select(s => (s.Step, s.Loss)), resumed.Steps.Select(s => (s.Step, s.Loss)));
        Assert.Equal(full.Steps.Take(3).Select(s => s.Loss), first.Steps.Select(s => s.Loss));
    }

    [Fact]
    public void AccumulatedMicroBatchesFollowTheSameLossesAsWholeBatches()
    {
        var items = SyntheticShapes.Items();
        using var a = new TemporaryDirectory();
        using var b = new TemporaryDirectory();
        var whole = Train(TinyTraining.Options with { Epochs = 2 }, items, a.File("checkpoint"), resume: false, stopAfter: null);
        var split = Train(TinyTraining.Options with { Epochs = 2, Accumulate = 3 }, items, b.File("checkpoint"), resume: false, stopAfter: null);

        foreach (var (x, y) in whole.Steps.Zip(split.Steps))
        {
            Assert.Equal(x.Loss, y.Loss, 4);
        }
    }

    [Fact]
    public void HalfPrecisionComputeKeepsFloat32MasterWeightsAndStillLearns()
    {
        // bf16 runs on any CPU here (slowly); on CUDA this is the --dtype bf16 path.
        using var output = new TemporaryDirectory();
        using var model = TinyTraining.CreateModel();
        var options = TinyTraining.Options with { Epochs = 8, Compute = new ComputeOptions(torch.CPU, torch.ScalarType.BFloat16) };
        using var trainer = new ClipTrainer(model, options, Batches());

        var result = trainer.Train(SyntheticShapes.Items(), null, output.File("checkpoint"), resume: false);

        Assert.All(model.parameters(), p => Assert.Equal(torch.ScalarType.Float32, p.dtype));
        var losses = result.Steps.Select(s => s.Loss).ToList();
        Assert.True(losses.TakeLast(3).Average() < losses.Take(3).Average() - 0.3, $"loss {losses[0]:F3} -> {losses[^1]:F3}");
    }

    [Fact]
    public void EvaluatesEveryNthEpochAndAfterTheLast()
    {
        using var output = new TemporaryDirectory();
        using var model = TinyTraining.CreateModel();
        using var trainer = new ClipTrainer(model, TinyTraining.Options with { Epochs = 5, EvalEvery = 2 }, Batches());
        var items = SyntheticShapes.Items();

        var result = trainer.Train(items, items, output.File("checkpoint"), resume: false);

        Assert.Equal([2, 4, 5], result.Steps.Where(s => s.Evaluation is not null).Select(s => s.Epoch));
        Assert.Equal(5, result.Steps.Count(s => s.EpochEnd));
        Assert.NotNull(result.Evaluation);
    }

    [Fact]
    public void FrozenTowersAndProjectionsOnlyLimitTheTrainedParameters()
    {
        using var model = TinyTraining.CreateModel();
        using var vision = new ClipTrainer(model, TinyTraining.Options with { Freeze = TowerFreeze.Vision }, Batches());
        Assert.DoesNotContain(vision.Parameters, p => p.Name.StartsWith("vision_model.", StringComparison.Ordinal));
        Assert.Contains(vision.Parameters, p => p.Name == "visual_projection.weight");

        using var other = TinyTraining.CreateModel();
        using var projections = new ClipTrainer(other, TinyTraining.Options with { ProjectionsOnly = true }, Batches());
        Assert.Equal(["logit_scale", "text_projection.weight", "visual_projection.weight"], projections.Parameters.Select(p => p.Name).Order());
    }

    [Fact]
    public void SavedFolderLoadsWithIdenticalEmbeddings()
    {
        using var output = new TemporaryDirectory();
        using var model = TinyTraining.CreateModel();
        using (var trainer = new ClipTrainer(model, TinyTraining.Options with { Epochs = 1 }, Batches()))
        {
            trainer.Train(SyntheticShapes.Items(), null, output.File("checkpoint"), resume: false);
        }

        ModelFolderWriter.WriteAssets(output.Path, model.Config, ClipTinyFixture.Directory);
        ModelFolderWriter.WriteWeights(output.Path, model);
        using var loaded = ClipModelLoader.Load(output.Path, ComputeOptions.Cpu);
        using var ids = Batches().Texts(["a red square", "stripe in blue"]);
        using var pixels = Batches().Images(["red|square", "blue|stripe"]);
        model.eval();

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Assert.True(model.GetTextFeatures(ids).equal(loaded.GetTextFeatures(ids)).all().item<bool>());
        Assert.True(model.GetImageFeatures(pixels).equal(loaded.GetImageFeatures(pixels)).all().item<bool>());
        Assert.True(File.Exists(output.File("vocab.json")) && File.Exists(output.File("preprocessor_config.json")));
    }

    private static ClipBatchBuilder Batches() => new(new SyntheticShapes());

    private static TrainingResult Train(TrainingOptions options, IReadOnlyList<MultiModalSearch.Training.Data.CaptionedImage> items, string checkpoint, bool resume, int? stopAfter)
    {
        using var model = TinyTraining.CreateModel();
        using var trainer = new ClipTrainer(model, options, Batches());
        using var stop = new CancellationTokenSource();
        var progress = new Inline(p =>
        {
            if (p.Step == stopAfter)
            {
                stop.Cancel();
            }
        });
        return trainer.Train(items, null, checkpoint, resume, progress, stop.Token);
    }

    private sealed class Inline(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
