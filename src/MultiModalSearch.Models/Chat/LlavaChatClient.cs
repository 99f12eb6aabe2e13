using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using MultiModalSearch.Abstractions.Chat;
using MultiModalSearch.Models.Generation;
using MultiModalSearch.Models.Llava;

namespace MultiModalSearch.Models.Chat;

/// <summary>
/// The in-process LLaVA model behind <see cref="IChatClient"/>: messages go through the checkpoint's chat template,
/// images travel as <see cref="DataContent"/>, and <see cref="GetStreamingResponseAsync"/> yields text as each token is
/// decoded. Options map onto generation: no temperature (or 0) is greedy, otherwise sampling with temperature, top-p,
/// top-k and seed; <see cref="ChatOptions.MaxOutputTokens"/>, stop sequences and
/// <see cref="ChatOptionKeys.RepetitionPenalty"/> are honoured; frequency and presence penalties are refused.
/// </summary>
public sealed class LlavaChatClient : IChatClient
{
    public const int DefaultMaxOutputTokens = 512;

    private readonly LlavaSession session;
    private readonly bool ownsSession;
    private readonly ChatClientMetadata metadata;

    /// <param name="modelId">The name reported as the model (a Hub id or folder name).</param>
    /// <param name="ownsSession">Dispose the session with this client.</param>
    public LlavaChatClient(LlavaSession session, string modelId, bool ownsSession = false)
    {
        this.session = session;
        this.ownsSession = ownsSession;
        ModelId = modelId;
        metadata = new ChatClientMetadata("MultiModalSearch.Llava", null, modelId);
    }

    public string ModelId { get; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prompt = LlavaChatPrompt.Build(session, messages, options?.Instructions);
        var generation = ToGenerationOptions(options);
        var responseId = Guid.NewGuid().ToString("N");
        var created = DateTimeOffset.UtcNow;
        var inputTokens = session.Processor.EncodePrompt(prompt.Prompt, prompt.Images.Count).Length;
        var outputTokens = 0;
        await foreach (var update in session.GenerateStreamingAsync(prompt.Prompt, prompt.Images, generation, cancellationToken))
        {
            outputTokens += update.TokenId is null ? 0 : 1;
            var chunk = new ChatResponseUpdate(ChatRole.Assistant, update.Text)
            {
                ResponseId = responseId,
                MessageId = responseId,
                ModelId = ModelId,
                CreatedAt = created,
            };
            if (update.FinishReason is { } finish)
            {
                chunk.FinishReason = finish == GenerationFinishReason.Length ? ChatFinishReason.Length : ChatFinishReason.Stop;
                chunk.Contents.Add(new UsageContent(new UsageDetails
                {
                    InputTokenCount = inputTokens,
                    OutputTokenCount = outputTokens,
                }));
            }

            yield return chunk;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(ChatClientMetadata) ? metadata
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(session) ? session
            : null;
    }

    public void Dispose()
    {
        if (ownsSession)
        {
            session.Dispose();
        }
    }

    /// <summary>ChatOptions as generation settings; refuses what the model cannot honour instead of ignoring it.</summary>
    public static GenerationOptions ToGenerationOptions(ChatOptions? options)
    {
        if (options is null)
        {
            return GenerationOptions.Greedy(DefaultMaxOutputTokens);
        }

        if (options.FrequencyPenalty is { } frequency && frequency != 0 || options.PresencePenalty is { } presence && presence != 0)
        {
            throw new NotSupportedException($"frequency and presence penalties are not supported by the local model; use {ChatOptionKeys.RepetitionPenalty} instead");
        }

        if (options.Tools is { Count: > 0 })
        {
            throw new NotSupportedException("the local model does not call tools");
        }

        var temperature = options.Temperature ?? 0f;
        var repetition = options.AdditionalProperties?.TryGetValue(ChatOptionKeys.RepetitionPenalty, out var value) == true
            ? value switch
            {
                JsonElement { ValueKind: JsonValueKind.Number } number => number.GetDouble(),
                IConvertible convertible => convertible.ToDouble(CultureInfo.InvariantCulture),
                _ => throw new ArgumentException($"{ChatOptionKeys.RepetitionPenalty} must be a number (got {value})"),
            }
            : 1.0;
        var generation = new GenerationOptions
        {
            MaxNewTokens = options.MaxOutputTokens ?? DefaultMaxOutputTokens,
            DoSample = temperature > 0,
            Temperature = temperature > 0 ? temperature : 1.0,
            TopP = options.TopP ?? 1.0,
            TopK = options.TopK ?? 0,
            Seed = options.Seed is { } seed ? unchecked((int)seed) : null,
            RepetitionPenalty = repetition,
            StopSequences = options.StopSequences?.ToList() ?? [],
        };
        generation.Validate();
        return generation;
    }
}
