using System.Diagnostics;
using MultiModalSearch.Models.Clip;
using MultiModalSearch.Training.Augmentation;
using MultiModalSearch.Training.Checkpointing;
using MultiModalSearch.Training.Data;
using MultiModalSearch.Training.Evaluation;
using MultiModalSearch.Training.Inputs;
using MultiModalSearch.Training.Loss;
using MultiModalSearch.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training;

/// <summary>
/// Contrastive (CLIP) training of a <see cref="ClipModel"/> held in float32: AdamW with warm-up and cosine decay,
/// optional frozen towers, exact gradient accumulation, checkpoints that resume bit-identically, and retrieval
/// evaluation at each epoch end.
/// </summary>
public sealed class ClipTrainer : IDisposable
{
    private readonly ClipModel master;
    private readonly TrainingOptions options;
    private readonly ClipBatchBuilder batches;
    private readonly PrecisionMirror mirror;
    private readonly AdamW optimizer;
    private readonly Generator augmentationRandom;

    /// <param name="model">Float32 weights on the training device; trained in place (they are the master weights).</param>
    public ClipTrainer(ClipModel model, TrainingOptions options, ClipBatchBuilder batches)
    {
        options.Validate();
        master = model;
        this.options = options;
        this.batches = batches;
        mirror = new PrecisionMirror(model, options.Compute.DType, IsTrainable);
        optimizer = new AdamW(mirror.Parameters, options.Optimizer);
        augmentationRandom = new Generator((ulong)options.Seed);
    }

    public IReadOnlyList<TrainableParameter> Parameters => mirror.Parameters;

    /// <summary>
    /// Trains on <paramref name="train"/>. With <paramref name="resume"/> it continues from the checkpoint in
    /// <paramref name="checkpointDirectory"/>; cancellation stops after the step in flight (the last checkpoint stays).
    /// </summary>
    public TrainingResult Train(
        IReadOnlyList<CaptionedImage> train,
        IReadOnlyList<CaptionedImage>? eval,
        string checkpointDirectory,
        bool resume,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var captionCounts = train.Select(t => t.Captions.Count).ToArray();
        var batchesPerEpoch = EpochPlan.Create(options.Seed, 0, captionCounts).BatchCount(options.BatchSize);
        var schedule = new LearningRateSchedule(options.LearningRate, options.WarmupSteps, batchesPerEpoch * options.Epochs);
        var state = resume ? Resume(checkpointDirectory, train.Count) : new TrainingState { DataCount = train.Count };
        var history = new List<TrainingProgress>();
        RetrievalResult? evaluation = null;
        master.train();
        mirror.Compute.train();
        for (var epoch = state.Epoch; epoch < options.Epochs; epoch++)
        {
            var plan = EpochPlan.Create(options.Seed, epoch, captionCounts);
            var clock = Stopwatch.StartNew();
            var samples = 0;
            for (var batch = epoch == state.Epoch ? state.Batch : 0; batch < batchesPerEpoch; batch++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return new TrainingResult(history, evaluation, Completed: false);
                }

                var pairs = plan.Batch(batch, options.BatchSize).ToList();
                var learningRate = schedule.At(state.Step);
                var loss = Step(train, pairs, learningRate, cancellationToken);
                samples += pairs.Count;
                state = state with { Step = state.Step + 1, Epoch = epoch, Batch = batch + 1, LastLoss = loss };
                var report = new TrainingProgress(epoch + 1, options.Epochs, state.Step, schedule.TotalSteps, loss, learningRate,
                    samples / Math.Max(1e-9, clock.Elapsed.TotalSeconds), Math.Exp(master.LogitScale.item<float>()));
                var epochEnd = batch + 1 == batchesPerEpoch;
                if (epochEnd)
                {
                    state = state with { Epoch = epoch + 1, Batch = 0 };
                    var evaluate = eval is { Count: > 0 } && ((epoch + 1) % options.EvalEvery == 0 || epoch + 1 == options.Epochs);
                    evaluation = evaluate ? Evaluate(eval!, cancellationToken) : evaluation;
                    report = report with { EpochEnd = true, Evaluation = evaluate ? evaluation : null };
                }

                if (epochEnd || (options.CheckpointEvery > 0 && state.Step % options.CheckpointEvery == 0))
                {
                    SaveCheckpoint(checkpointDirectory, state, state.Epoch == epoch ? plan : null, captionCounts);
                }

                history.Add(report);
                progress?.Report(report);
            }
        }

        return new TrainingResult(history, evaluation, Completed: true);
    }

    /// <summary>Runs the retrieval protocol on the current weights.</summary>
    public RetrievalResult Evaluate(IReadOnlyList<CaptionedImage> items, CancellationToken cancellationToken = default) =>
        new RetrievalEvaluator(batches, options.EvalBatchSize).Evaluate(mirror.Compute, items, cancellationToken);

    public void Dispose()
    {
        optimizer.Dispose();
        mirror.Dispose();
        augmentationRandom.Dispose();
    }

    private bool IsTrainable(string name)
    {
        if (options.ProjectionsOnly)
        {
            return name is "visual_projection.weight" or "text_projection.weight" or "logit_scale";
        }

        return options.Freeze switch
        {
            TowerFreeze.Vision => !name.StartsWith("vision_model.", StringComparison.Ordinal),
            TowerFreeze.Text => !name.StartsWith("text_model.", StringComparison.Ordinal),
            _ => true,
        };
    }

    private double Step(IReadOnlyList<CaptionedImage> train, List<(int Image, int Caption)> pairs, double learningRate, CancellationToken cancellationToken)
    {
        using var scope = torch.NewDisposeScope();
        var model = mirror.Compute;
        var device = model.LogitScale.device;
        var pixels = batches.Images(pairs.Select(p => train[p.Image].ImagePath).ToList(), cancellationToken);
        pixels = ImageAugmentation.Apply(pixels, options.Augmentation, batches.Normalization, augmentationRandom).to(model.LogitScale.dtype).to(device);
        var ids = batches.Texts(pairs.Select(p => train[p.Image].Captions[p.Caption]).ToList()).to(device);
        var loss = options.Accumulate == 1 ? ForwardBackward(model, pixels, ids) : AccumulatedForwardBackward(model, pixels, ids);
        optimizer.Step(learningRate);
        ClampTemperature();
        mirror.FinishStep();
        return loss;
    }

    private double ForwardBackward(ClipModel model, Tensor pixels, Tensor ids)
    {
        using var scope = torch.NewDisposeScope();
        var loss = ClipContrastiveLoss.Compute(model.GetImageFeatures(pixels), model.GetTextFeatures(ids), model.LogitScale);
        loss.backward();
        mirror.CollectGradients();
        return loss.item<float>();
    }

    /// <summary>
    /// open_clip's exact accumulation: embed all micro-batches without gradients, then for each micro-batch recompute
    /// its features with gradients and back-propagate the full-batch loss with the others' cached features. The
    /// temperature takes its gradient from the first pass only, so it is counted once, as in an unsplit batch.
    /// </summary>
    private double AccumulatedForwardBackward(ClipModel model, Tensor pixels, Tensor ids)
    {
        using var scope = torch.NewDisposeScope();
        var pixelChunks = pixels.chunk(options.Accumulate);
        var idChunks = ids.chunk(options.Accumulate);
        List<Tensor> imageCache, textCache;
        using (torch.no_grad())
        {
            imageCache = pixelChunks.Select(model.GetImageFeatures).ToList();
            textCache = idChunks.Select(model.GetTextFeatures).ToList();
        }

        double first = 0;
        for (var j = 0; j < pixelChunks.Length; j++)
        {
            var images = imageCache.Select((cached, i) => i == j ? model.GetImageFeatures(pixelChunks[j]) : cached).ToList();
            var texts = textCache.Select((cached, i) => i == j ? model.GetTextFeatures(idChunks[j]) : cached).ToList();
            var scale = j == 0 ? model.LogitScale : model.LogitScale.detach();
            var loss = ClipContrastiveLoss.Compute(torch.cat(images, 0), torch.cat(texts, 0), scale);
            loss.backward();
            mirror.CollectGradients();
            first = j == 0 ? loss.item<float>() : first;
        }

        return first;
    }

    private void ClampTemperature()
    {
        using var noGrad = torch.no_grad();
        master.LogitScale.clamp_(0, ClipContrastiveLoss.MaxLogitScale);
    }

    private void SaveCheckpoint(string directory, TrainingState state, EpochPlan? plan, IReadOnlyList<int> captionCounts)
    {
        plan ??= EpochPlan.Create(options.Seed, state.Epoch, captionCounts);
        var full = state with
        {
            Seed = options.Seed, BatchSize = options.BatchSize, Epochs = options.Epochs,
            Order = plan.Order, Captions = plan.Captions,
        };
        TrainingCheckpoint.Save(directory, master, optimizer, augmentationRandom, full);
    }

    private TrainingState Resume(string directory, int dataCount)
    {
        var state = TrainingCheckpoint.Load(directory, master, optimizer, augmentationRandom);
        if (state.Seed != options.Seed || state.BatchSize != options.BatchSize || state.DataCount != dataCount)
        {
            throw new InvalidOperationException(
                $"cannot resume {directory}: it was written with seed {state.Seed}, batch size {state.BatchSize} and {state.DataCount} images " +
                $"(now {options.Seed}, {options.BatchSize} and {dataCount}); use the same data and settings or start in a new output folder");
        }

        mirror.FinishStep();
        return state;
    }
}
