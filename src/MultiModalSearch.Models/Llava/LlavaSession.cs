using System.Runtime.CompilerServices;
using MultiModalSearch.Abstractions.Errors;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Generation;
using MultiModalSearch.Models.Llama;
using MultiModalSearch.Models.Tokenization.ChatTemplates;
using MultiModalSearch.Models.Tokenization.SentencePiece;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Llava;

/// <summary>
/// A loaded LLaVA checkpoint ready to generate: model, tokenizer, image processor, chat template and end-of-sequence
/// ids. Prompts are used as given (see <see cref="RenderChat"/> for the checkpoint's template). One generation runs at a
/// time; concurrent callers wait their turn.
/// </summary>
public sealed class LlavaSession : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);

    private LlavaSession(LlavaForConditionalGeneration model, LlavaProcessor processor, ChatTemplate? chatTemplate,
        IReadOnlyList<int> endOfSequenceIds, ComputeOptions compute)
    {
        Model = model;
        Processor = processor;
        ChatTemplate = chatTemplate;
        EndOfSequenceIds = endOfSequenceIds;
        Compute = compute;
    }

    public LlavaForConditionalGeneration Model { get; }

    public LlavaProcessor Processor { get; }

    public LlamaTokenizer Tokenizer => Processor.Tokenizer;

    /// <summary>The checkpoint's chat template; null when it ships none.</summary>
    public ChatTemplate? ChatTemplate { get; }

    public IReadOnlyList<int> EndOfSequenceIds { get; }

    public ComputeOptions Compute { get; }

    /// <summary>Loads everything from a checkpoint folder; the model is built on the compute device in its dtype.</summary>
    public static LlavaSession Open(string directory, ComputeOptions compute)
    {
        var config = LlavaConfig.Load(Path.Combine(directory, "config.json"));
        var processor = LlavaProcessor.FromDirectory(directory, config);
        var template = ChatTemplate.FromDirectory(directory, processor.Tokenizer.Config.ChatTemplate);
        var endOfSequence = GenerationConfigFile.ReadEndOfSequenceIds(directory, config.Text.EosTokenId);
        var model = LlavaModelLoader.Load(directory, compute);
        return new LlavaSession(model, processor, template, endOfSequence, compute);
    }

    /// <summary>The checkpoint's chat template applied to <paramref name="messages"/>, with its special tokens as variables.</summary>
    /// <exception cref="ChatTemplateException">The checkpoint has no template, or the template rejects the conversation.</exception>
    public string RenderChat(IReadOnlyList<ChatTemplateMessage> messages, bool addGenerationPrompt = true)
    {
        if (ChatTemplate is null)
        {
            throw new ChatTemplateException("the checkpoint has no chat template (chat_template.jinja, chat_template.json or tokenizer_config.json); give a ready prompt instead");
        }

        var config = Tokenizer.Config;
        return ChatTemplate.Render(messages, addGenerationPrompt, new Dictionary<string, object?>
        {
            ["bos_token"] = config.BosToken,
            ["eos_token"] = config.EosToken,
            ["unk_token"] = config.UnkToken,
            ["pad_token"] = config.PadToken,
        });
    }

    /// <summary>
    /// Generates from <paramref name="prompt"/> (used as given; one <c>&lt;image&gt;</c> per image), one update per token
    /// as it is produced. Each step runs synchronously on the thread that asks for the next update.
    /// </summary>
    public IEnumerable<GenerationUpdate> Generate(string prompt, IReadOnlyList<LlavaImage> images, GenerationOptions options, bool useCache = true)
    {
        options.Validate();
        var (inputIds, fitted) = EncodeWithinContext(prompt, images.Count, options);
        return OneAtATime(Run(inputIds, images, fitted, useCache));
    }

    /// <summary>Runs a generation to its end and returns ids and text together.</summary>
    public GenerationResult GenerateToEnd(string prompt, IReadOnlyList<LlavaImage> images, GenerationOptions options, bool useCache = true)
    {
        options.Validate();
        var (inputIds, fitted) = EncodeWithinContext(prompt, images.Count, options);
        var generated = new List<int>();
        var text = new System.Text.StringBuilder();
        var finish = GenerationFinishReason.Length;
        foreach (var update in OneAtATime(Run(inputIds, images, fitted, useCache)))
        {
            if (update.TokenId is { } id)
            {
                generated.Add(id);
            }

            text.Append(update.Text);
            finish = update.FinishReason ?? finish;
        }

        return new GenerationResult(inputIds, generated, text.ToString(), finish);
    }

    /// <summary>
    /// <see cref="Generate"/> as an async stream: each token's step runs on the thread pool, so a server thread is never
    /// blocked on the model, and cancellation stops after the current token.
    /// </summary>
    public async IAsyncEnumerable<GenerationUpdate> GenerateStreamingAsync(string prompt, IReadOnlyList<LlavaImage> images,
        GenerationOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options.Validate();
        var (inputIds, fitted) = EncodeWithinContext(prompt, images.Count, options);
        await gate.WaitAsync(cancellationToken);
        try
        {
            using var steps = Run(inputIds, images, fitted, useCache: true).GetEnumerator();
            while (await Task.Run(steps.MoveNext, cancellationToken))
            {
                yield return steps.Current;
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The model's context in positions: the prompt (with its image tokens) and the new tokens together.</summary>
    public int ContextLength => Model.Config.Text.MaxPositionEmbeddings;

    /// <summary>
    /// The prompt's ids, and the options with the new tokens capped at what the model's context leaves: the rotary
    /// positions and the cache end there, so a generation stops at the context's end (finish reason Length) rather than
    /// running past it. A prompt that does not fit at all is refused.
    /// </summary>
    /// <exception cref="InvalidSettingException">The prompt alone fills the model's context.</exception>
    private (int[] InputIds, GenerationOptions Options) EncodeWithinContext(string prompt, int imageCount, GenerationOptions options)
    {
        var inputIds = Processor.EncodePrompt(prompt, imageCount);
        if (inputIds.Length >= ContextLength)
        {
            throw new InvalidSettingException("prompt", $"is {inputIds.Length} tokens (images included), and the model reads at most {ContextLength}");
        }

        var room = ContextLength - inputIds.Length;
        return (inputIds, options.MaxNewTokens > room ? options with { MaxNewTokens = room } : options);
    }

    public void Dispose()
    {
        Model.Dispose();
        gate.Dispose();
    }

    private IEnumerable<GenerationUpdate> OneAtATime(IEnumerable<GenerationUpdate> updates)
    {
        gate.Wait();
        try
        {
            foreach (var update in updates)
            {
                yield return update;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private IEnumerable<GenerationUpdate> Run(int[] inputIds, IReadOnlyList<LlavaImage> images, GenerationOptions options, bool useCache)
    {
        // Decoded before the first step so that an unreadable image fails before any model work.
        using var pixels = Processor.PreprocessImages(images);
        // Checkpoints pad the output vocabulary past the tokenizer's (llava-hf: 32064 rows for 32002 tokens); a padding
        // id has no text, as in transformers' decode, rather than failing the generation.
        var detokenizer = new IncrementalDetokenizer(ids => Tokenizer.Decode(ids.Where(id => id < Tokenizer.VocabularySize)));
        var stops = new StopSequenceMatcher(options.StopSequences);
        var stopIds = options.StopTokenIds ?? EndOfSequenceIds;
        var finish = GenerationFinishReason.Length;
        foreach (var token in LlamaGenerator.Generate(Model.LanguageModel, () => EmbedPrompt(inputIds, pixels), inputIds, options, stopIds, useCache))
        {
            var text = stops.Push(detokenizer.Add(token.Id));
            if (stops.Stopped)
            {
                yield return new GenerationUpdate(token.Id, text, GenerationFinishReason.StopSequence);
                yield break;
            }

            yield return new GenerationUpdate(token.Id, text);
            if (stopIds.Contains(token.Id))
            {
                finish = GenerationFinishReason.EndOfSequence;
            }
        }

        var rest = stops.Push(detokenizer.Flush());
        rest += stops.Stopped ? "" : stops.Flush();
        yield return new GenerationUpdate(null, rest, stops.Stopped ? GenerationFinishReason.StopSequence : finish);
    }

    private Tensor EmbedPrompt(int[] inputIds, Tensor? pixels)
    {
        using var scope = NewDisposeScope();
        var device = Compute.Device;
        var ids = torch.tensor(inputIds.Select(i => (long)i).ToArray(), [1, inputIds.Length], device: device);
        var features = pixels is null ? null : Model.GetImageFeatures(pixels);
        return Model.EmbedInputs(ids, features).MoveToOuterDisposeScope();
    }
}
