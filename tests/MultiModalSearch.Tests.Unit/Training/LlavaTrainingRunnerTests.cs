using MultiModalSearch.Models.Checkpoints;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Generation;
using MultiModalSearch.Models.Llava;
using MultiModalSearch.Models.Resolution;
using MultiModalSearch.Testing;
using MultiModalSearch.Training.Llava;
using static TorchSharp.torch;

namespace MultiModalSearch.Tests.Training;

/// <summary>
/// A tiny LLaVA run over the bundled CLIP's vision tower on six emoji (tests/fixtures/emoji-llava): trained once for
/// the class, then checked through the saved folder as <c>mms generate</c> reads it.
/// </summary>
public sealed class LlavaTrainingRunnerTests(LlavaTrainingRunnerTests.TinyRun run) : IClassFixture<LlavaTrainingRunnerTests.TinyRun>
{
    private const string Prompt = "USER: <image>\nWhat is shown in this figure? ASSISTANT:";

    [Fact]
    public void TheSavedModelNamesEachTrainingImage()
    {
        Assert.True(run.Result.Completed);
        Assert.Equal(6, run.Result.Evaluation!.Images);
        Assert.Equal(6, run.Result.Evaluation.Exact);
        Assert.Equal(run.Result.Evaluation, NamingResult.FromJson(File.ReadAllText(Path.Combine(run.Output.Path, "eval.json"))) with { Examples = run.Result.Evaluation.Examples });
        Assert.Equal(Prompt, run.Result.Evaluation.Prompt);

        using var session = LlavaSession.Open(run.Output.Path, ComputeOptions.Cpu);
        var answer = session.GenerateToEnd(Prompt, [LlavaImage.FromFile(Path.Combine(Images, "google", "1f355.png"))], GenerationOptions.Greedy(16));
        Assert.Equal("slice of pizza", answer.Text.Trim());
        Assert.Equal(GenerationFinishReason.EndOfSequence, answer.FinishReason);
    }

    [Fact]
    public void TheLossFallsFromTheStartingCrossEntropy()
    {
        var losses = run.Result.EpochLosses;
        Assert.Equal(Options.Epochs, losses.Count);
        Assert.True(losses[0] > 4, $"first epoch loss {losses[0]:F3}: an untrained decoder should be near ln(vocabulary)");
        Assert.True(losses[^1] < 0.1, $"last epoch loss {losses[^1]:F3}: six answers should be learned");
    }

    [Fact]
    public void TheVisionTowerIsTheClipModelsUnchanged()
    {
        using var trained = SafetensorsFile.Open(Path.Combine(run.Output.Path, "model.safetensors"));
        using var clip = SafetensorsFile.Open(Path.Combine(BundledClip, "model.safetensors"));
        var vision = trained.Entries.Keys.Where(n => n.StartsWith("vision_tower.", StringComparison.Ordinal)).ToList();

        Assert.Equal(clip.Entries.Keys.Count(n => n.StartsWith("vision_model.", StringComparison.Ordinal)), vision.Count);
        foreach (var name in vision)
        {
            using var stored = trained.ReadTensor(name);
            using var original = clip.ReadTensor(name["vision_tower.".Length..]);
            Assert.True(stored.allclose(original, rtol: 0, atol: 0), $"{name} changed in training");
        }

        Assert.Contains("multi_modal_projector.linear_1.weight", trained.Entries.Keys);
        Assert.Contains("language_model.lm_head.weight", trained.Entries.Keys);
    }

    [Fact]
    public void TheFolderIsALlavaHfCheckpointWithItsOwnTokenizer()
    {
        var config = LlavaConfig.Load(Path.Combine(run.Output.Path, "config.json"));
        var processor = LlavaProcessor.FromDirectory(run.Output.Path, config);

        Assert.Equal(36, config.ImageSequenceLength);
        Assert.Equal(processor.Tokenizer.Model.VocabularySize, config.ImageTokenIndex);
        Assert.Equal("<image>", processor.ImageToken);
        Assert.Equal(0, config.Text.VocabSize % 64);
        var ids = processor.EncodePrompt(Prompt, 1);
        Assert.Equal(processor.Tokenizer.BosTokenId, ids[0]);
        Assert.Equal(36, ids.Count(i => i == config.ImageTokenIndex));
        foreach (var file in new[] { "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json", "chat_template.json", "generation_config.json", "preprocessor_config.json", "processor_config.json" })
        {
            Assert.True(File.Exists(Path.Combine(run.Output.Path, file)), file);
        }
    }

    [Fact]
    public void AnswerSequencesLabelOnlyTheAnswerAndEndOfSequence()
    {
        var config = LlavaConfig.Load(Path.Combine(run.Output.Path, "config.json"));
        var processor = LlavaProcessor.FromDirectory(run.Output.Path, config);
        var sequences = new AnswerSequences(processor, [Prompt]);
        var prompt = processor.EncodePrompt(Prompt, 1);

        var (ids, labels) = sequences.Build([("slice of pizza", 0), ("rocket", 0)]);
        using (ids)
        using (labels)
        {
            var pizza = sequences.AnswerIds("slice of pizza");
            var rocket = sequences.AnswerIds("rocket");
            Assert.Equal(processor.Tokenizer.EosTokenId, pizza[^1]);
            Assert.Equal("slice of pizza", processor.Tokenizer.Decode(pizza));
            Assert.Equal([2, prompt.Length + pizza.Length], ids.shape);
            var row0 = ids[0].data<long>().ToArray();
            var row1 = ids[1].data<long>().ToArray();
            Assert.Equal(prompt.Select(i => (long)i), row0.Take(prompt.Length));
            Assert.Equal(rocket.Select(i => (long)i), row1.Skip(prompt.Length).Take(rocket.Length));
            Assert.All(row1.Skip(prompt.Length + rocket.Length), id => Assert.Equal(processor.Tokenizer.PadTokenId, (int)id));
            var labels0 = labels[0].data<long>().ToArray();
            var labels1 = labels[1].data<long>().ToArray();
            Assert.All(labels0.Take(prompt.Length), l => Assert.Equal(AnswerSequences.IgnoredLabel, l));
            Assert.Equal(pizza.Select(i => (long)i), labels0.Skip(prompt.Length));
            Assert.All(labels1.Skip(prompt.Length + rocket.Length), l => Assert.Equal(AnswerSequences.IgnoredLabel, l));
        }
    }

    [Fact]
    public void AVisionFolderWithoutACheckpointIsRefusedByName()
    {
        using var output = new TemporaryDirectory();
        using var empty = new TemporaryDirectory();
        var job = new LlavaTrainingJob { Data = Path.Combine(Images, "google.jsonl"), Vision = empty.Path, Output = output.Path, Options = Options };

        var error = Assert.Throws<FileNotFoundException>(() => LlavaTrainingRunner.Run(job));
        Assert.Contains(empty.Path, error.Message);
        Assert.Contains("CLIP model folder", error.Message);
    }

    [Fact]
    public void AShapeWhoseHeadsDoNotDivideIsRefusedWithBothValues()
    {
        var options = Options with { Shape = Options.Shape with { AttentionHeads = 4, KeyValueHeads = 3 } };

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("(got 4 and 3)", error.Message);
    }

    internal static LlavaTrainingOptions Options { get; } = new()
    {
        Epochs = 150,
        BatchSize = 6,
        LearningRate = 5e-3,
        WarmupSteps = 5,
        Seed = 3,
        Shape = new LlavaModelShape { HiddenSize = 64, IntermediateSize = 128, Layers = 1, AttentionHeads = 4, KeyValueHeads = 2, TokenizerPieces = 400 },
    };

    private static string Images => Path.Combine(AppContext.BaseDirectory, "fixtures", "emoji-llava");

    private static string BundledClip =>
        ModelLocator.FindBundledModel([AppContext.BaseDirectory]) ?? throw new DirectoryNotFoundException("models/emoji-clip");

    /// <summary>One training run shared by the class's tests (about ten seconds).</summary>
    public sealed class TinyRun : IDisposable
    {
        public TinyRun()
        {
            var job = new LlavaTrainingJob
            {
                Data = Path.Combine(Images, "google.jsonl"),
                EvalData = Path.Combine(Images, "google.jsonl"),
                Vision = BundledClip,
                Output = Output.Path,
                SaveDType = ScalarType.Float16,
                Options = Options,
            };
            Result = LlavaTrainingRunner.Run(job);
        }

        public TemporaryDirectory Output { get; } = new();

        public LlavaTrainingResult Result { get; }

        public void Dispose() => Output.Dispose();
    }
}
