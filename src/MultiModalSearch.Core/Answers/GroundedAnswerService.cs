using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using MultiModalSearch.Abstractions.DocumentRetrieval;
using MultiModalSearch.Abstractions.Errors;

namespace MultiModalSearch.Core.Answers;

/// <summary>
/// Answers a question from a collection's documents: retrieve, refuse when nothing clears the relevance floor (the
/// generator is not called), number and pack the sources, ask the generator with the sources as delimited data, and
/// check every citation as the answer streams. With no generator configured, the answer is extractive; a generator
/// too small for a grounded prompt is shown one figure alone (<see cref="AnswerOptions.SingleFigure"/>).
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

        if (generator is null)
        {
            foreach (var e in Extractive(await TextSourcesAsync(found.Hits, options.ContextTokens, cancellationToken), ExtractiveAnswer.Heading))
            {
                yield return e;
            }
        }
        else if (options.SingleFigure)
        {
            await foreach (var e in FromOneFigureAsync(generator, request, found.Hits, cancellationToken))
            {
                yield return e;
            }
        }
        else
        {
            await foreach (var e in GroundedAsync(generator, request, found.Hits, cancellationToken))
            {
                yield return e;
            }
        }
    }

    private async IAsyncEnumerable<AnswerEvent> GroundedAsync(IChatClient model, AnswerRequest request, IReadOnlyList<DocumentHit> hits,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sources = await SourcePacker.PackAsync(hits, options, (hit, ct) => retriever!.FigureCropAsync(request.Collection, hit.Id, ct), cancellationToken);
        yield return new AnswerSourcesEvent(sources);
        var filter = new CitationFilter(sources.Count);
        var answer = new StringBuilder();
        await foreach (var token in StreamCheckedAsync(model, GroundedPrompt.Build(request.Question, sources), filter, answer, cancellationToken))
        {
            yield return token;
        }

        yield return new AnswerDoneEvent(new AnswerOutcome(answer.ToString(), filter.Cited.ToList(), filter.Removed.ToList(), Refused: false, Extractive: false));
    }

    /// <summary>
    /// A model whose context holds one image and the question (<see cref="AnswerOptions.SingleFigure"/>) is shown one
    /// figure alone (<see cref="SingleFigureChoice"/>) and asked what it shows; its answer is attributed to that figure
    /// (the only source it was given, so any number it writes is removed), and the best passage follows, quoted, for
    /// what the text says. With no figure that goes with the best source (or its crop gone), the answer is extractive.
    /// </summary>
    private async IAsyncEnumerable<AnswerEvent> FromOneFigureAsync(IChatClient model, AnswerRequest request, IReadOnlyList<DocumentHit> hits,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Every hit is numbered (no budget: only the figure reaches the model), so the figure may rank anywhere in k.
        var sources = await TextSourcesAsync(hits, int.MaxValue, cancellationToken);
        var figure = SingleFigureChoice.Choose(sources);
        var crop = figure is null ? null : await retriever!.FigureCropAsync(request.Collection, figure.Hit.Id, cancellationToken);
        if (figure is null || crop is null)
        {
            foreach (var e in Extractive(sources, figure is null ? ExtractiveAnswer.SingleFigureHeading : ExtractiveAnswer.MissingCropHeading))
            {
                yield return e;
            }

            yield break;
        }

        figure = figure with { Image = crop };
        sources = sources.Select(s => s.N == figure.N ? figure : s).ToList();
        yield return new AnswerSourcesEvent(sources);
        var filter = new CitationFilter(0);
        var answer = new StringBuilder();
        await foreach (var token in StreamCheckedAsync(model, GroundedPrompt.BuildSingleFigure(options.FigureQuestion, crop), filter, answer, cancellationToken))
        {
            yield return token;
        }

        List<int> cited = [figure.N];
        var tail = new StringBuilder(answer.Length == 0 ? $"[{figure.N}]" : $" [{figure.N}]");
        if (sources.FirstOrDefault(s => !s.IsFigure) is { } passage)
        {
            tail.Append("\n\n").Append(ExtractiveAnswer.Quote(passage, options));
            cited.Add(passage.N);
        }

        answer.Append(tail);
        yield return new AnswerTokenEvent(tail.ToString());
        yield return new AnswerDoneEvent(new AnswerOutcome(answer.ToString(), cited, filter.Removed.ToList(), Refused: false, Extractive: false, SingleFigure: true));
    }

    /// <summary>The hits numbered and packed as text, within <paramref name="contextTokens"/>, for quoting: no crop is fetched.</summary>
    private Task<IReadOnlyList<AnswerSource>> TextSourcesAsync(IReadOnlyList<DocumentHit> hits, int contextTokens, CancellationToken cancellationToken)
    {
        var packing = new AnswerOptions { ContextTokens = contextTokens, MaxSourceCharacters = options.MaxSourceCharacters };
        return SourcePacker.PackAsync(hits, packing, (_, _) => Task.FromResult<byte[]?>(null), cancellationToken);
    }

    private IEnumerable<AnswerEvent> Extractive(IReadOnlyList<AnswerSource> sources, string heading)
    {
        var extractive = ExtractiveAnswer.Compose(sources, options, heading);
        return [new AnswerSourcesEvent(sources), new AnswerTokenEvent(extractive.Answer), new AnswerDoneEvent(extractive)];
    }

    /// <summary>Streams the model's answer through the citation filter, appending what is shown to <paramref name="answer"/>; leading spaces are dropped.</summary>
    private async IAsyncEnumerable<AnswerEvent> StreamCheckedAsync(IChatClient model, IList<ChatMessage> messages, CitationFilter filter, StringBuilder answer,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var chatOptions = new ChatOptions { MaxOutputTokens = options.MaxAnswerTokens, Temperature = 0 };
        await foreach (var update in model.GetStreamingResponseAsync(messages, chatOptions, cancellationToken))
        {
            var shown = filter.Push(update.Text);
            shown = answer.Length == 0 ? shown.TrimStart() : shown;
            if (shown.Length > 0)
            {
                answer.Append(shown);
                yield return new AnswerTokenEvent(shown);
            }
        }

        // Spaces held back at the end would stand before whatever follows the answer (a citation, a quote).
        var rest = filter.Flush().TrimEnd();
        rest = answer.Length == 0 ? rest.TrimStart() : rest;
        if (rest.Length > 0)
        {
            answer.Append(rest);
            yield return new AnswerTokenEvent(rest);
        }
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
