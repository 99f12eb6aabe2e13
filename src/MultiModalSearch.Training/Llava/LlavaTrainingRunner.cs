using MultiModalSearch.Models.Clip;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Llava;
using MultiModalSearch.Models.Tokenization.ChatTemplates;
using MultiModalSearch.Training.Data;
using MultiModalSearch.Training.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training.Llava;

/// <summary>
/// Runs a <see cref="LlavaTrainingJob"/> end to end: learns a SentencePiece tokenizer from the prompts and answers,
/// writes the llava-hf folder's configuration, builds the model around the CLIP vision tower, trains it, saves the
/// weights and, with held-out data, measures how often the saved model names those images (<c>eval.json</c>).
/// </summary>
public static class LlavaTrainingRunner
{
    public static LlavaTrainingResult Run(LlavaTrainingJob job, IProgress<LlavaTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var options = job.Options;
        options.Validate();
        var train = CaptionDataset.Load(job.Data);
        var eval = job.EvalData is null ? null : CaptionDataset.Load(job.EvalData);
        var prompts = options.Questions.Select(RenderPrompt).ToList();
        var tokenizer = SentencePieceBpeTrainer.Train(TokenizerTexts(train, prompts), options.Shape.TokenizerPieces);
        LlavaFolderWriter.WriteTokenizer(job.Output, tokenizer);
        var config = LlavaFolderWriter.WriteConfig(job.Output, job.Vision, options.Shape, tokenizer.Pieces.Count, job.SaveDType);
        var processor = LlavaProcessor.FromDirectory(job.Output, config);
        // Seeded before the model exists so initialisation and augmentation draws are reproducible.
        torch.manual_seed(options.Seed);
        using var model = CreateModel(config, job.Vision);
        LlavaTrainingResult result;
        using (var trainer = new LlavaTrainer(model, options, processor, prompts))
        {
            result = trainer.Train(train, progress, cancellationToken);
        }

        if (!result.Completed)
        {
            return result;
        }

        LlavaFolderWriter.WriteWeights(job.Output, model, job.SaveDType);
        if (eval is null)
        {
            return result;
        }

        // Measured on the saved weights, through the same path as mms generate.
        using var session = LlavaSession.Open(job.Output, ComputeOptions.Cpu);
        var naming = NamingEvaluator.Evaluate(session, eval, options.Questions[0], options.MaxAnswerTokens, cancellationToken: cancellationToken);
        File.WriteAllText(Path.Combine(job.Output, "eval.json"), naming.ToJson());
        return result with { Evaluation = naming };
    }

    /// <summary>The question about one image in the chat template the folder ships with.</summary>
    public static string RenderPrompt(string question) =>
        ChatTemplate.Parse(LlavaFolderWriter.ChatTemplate).Render(
            [new ChatTemplateMessage("user", [ChatTemplateContent.Image, ChatTemplateContent.FromText(question)])],
            addGenerationPrompt: true,
            new Dictionary<string, object?> { ["bos_token"] = "<s>", ["eos_token"] = "</s>" });

    /// <summary>
    /// The texts the tokenizer will encode, cut where the processor cuts them (at &lt;image&gt;), each prompt once per
    /// image so that its words are as frequent as they will be, and every answer.
    /// </summary>
    private static IEnumerable<string> TokenizerTexts(IReadOnlyList<CaptionedImage> train, IReadOnlyList<string> prompts)
    {
        var segments = prompts.SelectMany(p => p.Split(LlavaFolderWriter.ImageToken)).Where(s => s.Length > 0).ToList();
        foreach (var item in train)
        {
            foreach (var segment in segments)
            {
                yield return segment;
            }

            yield return item.Captions[0];
        }
    }

    private static LlavaForConditionalGeneration CreateModel(LlavaConfig config, string visionDirectory)
    {
        var model = new LlavaForConditionalGeneration(config);
        try
        {
            LlavaInitializer.InitializeDecoderAndProjector(model);
            using var clip = ClipModelLoader.Load(visionDirectory, new ComputeOptions(torch.CPU, ScalarType.Float32));
            LlavaInitializer.CopyVisionTower(model, clip);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
