using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using MultiModalSearch.Abstractions.DocumentRetrieval;
using MultiModalSearch.Abstractions.Errors;

namespace MultiModalSearch.Core.Answers;

/// <summary>
/// Answers a question from a collection's documents: retrieve, refuse when nothing clears the relevance floor (the
/// generator is not called), number and pack the sources, ask the generator with the sources as delimited data, and
/// check every citation as the answer streams. With no generator configured, the answer is extractive.
/// </summary>
/// <param name="retriever">Null when the installation has no document retrieval; answering then fails with <see cref="AnswersUnavailableException"/>.</param>
/// <param name="generator">Null for extractive answers.</param>
public sealed class GroundedAnswerService(IDocumentRetriever? retriever, IChatClient? generator, AnswerOptions options)
{
    public const int MaxQuestionLength = 2000;

    /// <summary>Whether answers are composed by a model (false: extractive).</summary>
    public bool HasGenerator => generator is not null;

    public async IAsyncEnumerable<AnswerEvent> AnswerAsync(AnswerRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Validate(request);
        if (retriever is null)
        {
            throw new AnswersUnavailableException("document retrieval is not set up in this installation, so there is nothing to answer from");
        }

        var found = await retriever.RetrieveAsync(new DocumentQuestion(request.Collection, request.Question, request.K), cancellationToken);
        if (found.BelowFloor || found.Hits.Count == 0)
        {
            var refusal = RefusalAnswer.Compose(request, found.StagesRun);
            yield return new AnswerSourcesEvent([]);
            yield return new AnswerTokenEvent(refusal.Answer);
            yield return new AnswerDoneEvent(refusal);
            yield break;
        }

        var packing = generator is null ? new AnswerOptions { ContextTokens = options.ContextTokens, MaxSourceCharacters = options.MaxSourceCharacters } : options;
        var sources = await SourcePacker.PackAsync(found.Hits, packing, (hit, ct) => retriever.FigureCropAsync(request.Collection, hit.Id, ct), cancellationToken);
        yield return new AnswerSourcesEvent(sources);
        if (generator is null)
        {
            var extractive = ExtractiveAnswer.Compose(sources, options);
            yield return new AnswerTokenEvent(extractive.Answer);
            yield return new AnswerDoneEvent(extractive);
            yield break;
        }

        var filter = new CitationFilter(sources.Count);
        var answer = new System.Text.StringBuilder();
        var chatOptions = new ChatOptions { MaxOutputTokens = options.MaxAnswerTokens, Temperature = 0 };
        await foreach (var update in generator.GetStreamingResponseAsync(GroundedPrompt.Build(request.Question, sources), chatOptions, cancellationToken))
        {
            var shown = filter.Push(update.Text);
            if (shown.Length > 0)
            {
                answer.Append(shown);
                yield return new AnswerTokenEvent(shown);
            }
        }

        var rest = filter.Flush();
        if (rest.Length > 0)
        {
            answer.Append(rest);
            yield return new AnswerTokenEvent(rest);
        }

        yield return new AnswerDoneEvent(new AnswerOutcome(answer.ToString(), filter.Cited.ToList(), filter.Removed.ToList(), Refused: false, Extractive: false));
    }

    private static void Validate(AnswerRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Question))
        {
            throw new InvalidSettingException("question", "is empty: ask something");
        }

        if (request.Question.Length > MaxQuestionLength)
        {
            throw new InvalidSettingException("question", $"is too long ({request.Question.Length} characters; at most {MaxQuestionLength})");
        }

        if (request.K is < 1 or > 50)
        {
            throw new InvalidSettingException("k", $"must be between 1 and 50 (got {request.K})");
        }
    }
}
