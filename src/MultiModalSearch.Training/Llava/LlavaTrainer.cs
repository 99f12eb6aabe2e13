using System.Diagnostics;
using MultiModalSearch.Models.Llava;
using MultiModalSearch.Training.Augmentation;
using MultiModalSearch.Training.Data;
using MultiModalSearch.Training.Inputs;
using MultiModalSearch.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training.Llava;

/// <summary>
/// Trains a LLaVA model to answer a question about an image with the image's first caption: next-token cross-entropy on
/// the answer and EOS, the vision tower frozen, the projector and the decoder trained in float32 with AdamW (warm-up,
/// cosine decay) and gradient-norm clipping. Images are augmented as in CLIP training.
/// </summary>
public sealed class LlavaTrainer : IDisposable
{
    private readonly LlavaForConditionalGeneration model;
    private readonly LlavaTrainingOptions options;
    private readonly AnswerSequences sequences;
    private readonly PreprocessedImages images;
    private readonly PixelNormalization normalization;
    private readonly List<TorchSharp.Modules.Parameter> trained = [];
    private readonly AdamW optimizer;
    private readonly Generator augmentationRandom;
    private readonly TorchSharp.Modules.Parameter head;
    private readonly LlavaMultiModalProjector projector;
    private readonly bool augmenting;

    // Without augmentation an image's frozen vision features never change: computed once, a quarter of a step saved.
    private readonly Dictionary<string, Tensor> visionFeatures = new(StringComparer.Ordinal);

    /// <param name="model">Float32 weights on the CPU, trained in place.</param>
    /// <param name="renderedPrompts">Each question rendered with the checkpoint's chat template, one &lt;image&gt; each.</param>
    public LlavaTrainer(LlavaForConditionalGeneration model, LlavaTrainingOptions options, LlavaProcessor processor, IReadOnlyList<string> renderedPrompts)
    {
        options.Validate();
        this.model = model;
        this.options = options;
        sequences = new AnswerSequences(processor, renderedPrompts);
        images = new PreprocessedImages(processor.ImagePreprocessor);
        var config = processor.ImagePreprocessor.Config;
        normalization = new PixelNormalization(config.ImageMean, config.ImageStd, 255 * config.RescaleFactor);
        var parameters = new List<TrainableParameter>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            var train = !name.StartsWith(LlavaInitializer.VisionPrefix, StringComparison.Ordinal);
            parameter.requires_grad = train;
            if (train)
            {
                trained.Add(parameter);
                parameters.Add(new TrainableParameter(name, parameter, Decays(name, parameter.dim()), () => parameter.grad));
            }
        }

        optimizer = new AdamW(parameters, new AdamWSettings { WeightDecay = options.WeightDecay });
        // The output projection: lm_head, or the token embedding table when the two are tied.
        head = model.LanguageModel.named_parameters().Where(p => p.name == "lm_head.weight").Select(p => p.parameter).FirstOrDefault()
            ?? model.LanguageModel.Model.EmbeddingWeight;
        projector = model.named_children().Select(c => c.module).OfType<LlavaMultiModalProjector>().Single();
        augmenting = options.Augmentation.Shift > 0 || options.Augmentation.Zoom > 0 || options.Augmentation.HasPixelAugmentations;
        augmentationRandom = new Generator((ulong)options.Seed);
    }

    /// <summary>Parameters the optimizer updates (projector and decoder).</summary>
    public long TrainedParameterCount => trained.Sum(p => p.numel());

    /// <summary>Cancellation stops after the step in flight and returns an incomplete result.</summary>
    public LlavaTrainingResult Train(IReadOnlyList<CaptionedImage> train, IProgress<LlavaTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var questionCounts = Enumerable.Repeat(options.Questions.Count, train.Count).ToArray();
        var batchesPerEpoch = EpochPlan.Create(options.Seed, 0, questionCounts).BatchCount(options.BatchSize);
        var schedule = new LearningRateSchedule(options.LearningRate, options.WarmupSteps, batchesPerEpoch * options.Epochs);
        var epochLosses = new List<double>();
        var step = 0;
        model.train();
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            var plan = EpochPlan.Create(options.Seed, epoch, questionCounts);
            var clock = Stopwatch.StartNew();
            double lossSum = 0;
            var samples = 0;
            for (var batch = 0; batch < batchesPerEpoch; batch++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return new LlavaTrainingResult(epochLosses, null, Completed: false);
                }

                var rows = plan.Batch(batch, options.BatchSize).ToList();
                var learningRate = schedule.At(step);
                var loss = Step(train, rows, learningRate, cancellationToken);
                step++;
                lossSum += loss;
                samples += rows.Count;
                var report = new LlavaTrainingProgress(epoch + 1, options.Epochs, step, schedule.TotalSteps, loss, learningRate,
                    samples / Math.Max(1e-9, clock.Elapsed.TotalSeconds));
                if (batch + 1 == batchesPerEpoch)
                {
                    epochLosses.Add(lossSum / batchesPerEpoch);
                    report = report with { EpochLoss = epochLosses[^1] };
                }

                progress?.Report(report);
            }
        }

        model.eval();
        return new LlavaTrainingResult(epochLosses, null, Completed: true);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        augmentationRandom.Dispose();
        foreach (var features in visionFeatures.Values)
        {
            features.Dispose();
        }
    }

    /// <summary>Matrices decay; norm gains, biases and the token embedding table do not (as for CLIP's embeddings).</summary>
    internal static bool Decays(string name, long dimensions) =>
        dimensions >= 2 && !name.EndsWith(".bias", StringComparison.Ordinal) && !name.Contains("embed_tokens", StringComparison.Ordinal);

    /// <summary>
    /// Mean next-token cross-entropy over the labelled positions. Only the positions that predict an answer token are
    /// projected onto the vocabulary: the same loss as projecting every position and ignoring the prompt's labels, at a
    /// fraction of the head's cost (the prompt and the image are most of each row).
    /// </summary>
    private Tensor AnswerLoss(Tensor ids, Tensor labels, Tensor imageFeatures)
    {
        using var scope = torch.NewDisposeScope();
        var hidden = model.LanguageModel.Model.call(model.EmbedInputs(ids, imageFeatures), null);
        var width = hidden.shape[2];
        var length = hidden.shape[1];
        // Position i predicts token i + 1.
        var targets = labels.narrow(1, 1, length - 1).reshape(-1);
        var answered = targets.ne(AnswerSequences.IgnoredLabel).nonzero().squeeze(1);
        var predicting = hidden.narrow(1, 0, length - 1).reshape(-1, width).index_select(0, answered);
        var logits = nn.functional.linear(predicting, head);
        return nn.functional.cross_entropy(logits, targets.index_select(0, answered)).MoveToOuterDisposeScope();
    }

    /// <summary>The projector's output for the batch's images, [rows, image tokens, hidden]: augmented pixels through the frozen tower, or its cached features.</summary>
    private Tensor ImageFeatures(List<string> paths, CancellationToken cancellationToken)
    {
        using var scope = torch.NewDisposeScope();
        if (augmenting)
        {
            var pixels = ImageAugmentation.Apply(images.Load(paths, cancellationToken), options.Augmentation, normalization, augmentationRandom);
            return model.GetImageFeatures(pixels).MoveToOuterDisposeScope();
        }

        var missing = paths.Where(p => !visionFeatures.ContainsKey(p)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            using var noGrad = torch.no_grad();
            var selected = model.SelectImageFeatures(images.Load(missing, cancellationToken));
            for (var i = 0; i < missing.Count; i++)
            {
                visionFeatures[missing[i]] = selected[i].clone().DetachFromDisposeScope();
            }
        }

        return projector.call(torch.stack(paths.Select(p => visionFeatures[p]).ToList())).MoveToOuterDisposeScope();
    }

    private double Step(IReadOnlyList<CaptionedImage> train, List<(int Image, int Caption)> rows, double learningRate, CancellationToken cancellationToken)
    {
        using var scope = torch.NewDisposeScope();
        var paths = rows.Select(r => train[r.Image].ImagePath).ToList();
        var (ids, labels) = sequences.Build(rows.Select(r => (train[r.Image].Captions[0], r.Caption)).ToList());
        var loss = AnswerLoss(ids, labels, ImageFeatures(paths, cancellationToken));
        loss.backward();
        if (options.MaxGradientNorm > 0)
        {
            nn.utils.clip_grad_norm_(trained, options.MaxGradientNorm);
        }

        optimizer.Step(learningRate);
        model.zero_grad();
        return loss.item<float>();
    }
}
