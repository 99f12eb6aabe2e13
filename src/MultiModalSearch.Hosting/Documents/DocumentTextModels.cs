using Microsoft.Extensions.Configuration;
using MultiModalSearch.Abstractions.Errors;
using MultiModalSearch.Core.Ingestion;
using MultiModalSearch.Models.Bert;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Resolution;

namespace MultiModalSearch.Hosting.Documents;

/// <summary>
/// The text models document retrieval uses in a host: the sentence embedder the documents were ingested with
/// (<see cref="ConfigurationKeys.TextModel"/>) and a cross-encoder (<see cref="ConfigurationKeys.Reranker"/>), folders
/// or Hub ids, opened when retrieval is first needed and freed with the host. Neither set: full text and figures only.
/// </summary>
public sealed class DocumentTextModels : IDisposable
{
    private readonly SentenceEmbedder? embedder;

    private DocumentTextModels(string? textId, SentenceEmbedder? embedder, CrossEncoderReranker? reranker)
    {
        this.embedder = embedder;
        Text = embedder is null ? null : new DocumentTextModel(textId!, embedder, embedder.Tokenizer);
        Reranker = reranker;
    }

    public DocumentTextModel? Text { get; }

    public CrossEncoderReranker? Reranker { get; }

    /// <summary>
    /// Opens what the configuration names. Blocking: it runs in a service factory, once (the service resolves it at its
    /// start; <c>mms ask</c> on its first retrieval; a Hub id is downloaded then).
    /// </summary>
    /// <exception cref="InvalidSettingException">A named model cannot be found or loaded (the setting and the cause).</exception>
    public static DocumentTextModels Open(IConfiguration configuration, ModelLocator locator)
    {
        var compute = ComputeOptions.Resolve(configuration[ConfigurationKeys.Device] ?? "auto", "auto", Workload.Exact);
        SentenceEmbedder? embedder = null;
        string? textId = null;
        try
        {
            if (Named(configuration[ConfigurationKeys.TextModel]) is { } text)
            {
                var resolved = Load("text_model", text, () => locator.LocateAsync(text).GetAwaiter().GetResult());
                embedder = Load("text_model", text, () => SentenceEmbedder.Open(resolved.Directory, compute));
                textId = resolved.Id;
            }

            var reranker = Named(configuration[ConfigurationKeys.Reranker]) is { } cross
                ? Load("reranker", cross, () => CrossEncoderReranker.Open(locator.LocateAsync(cross).GetAwaiter().GetResult().Directory, compute))
                : null;
            return new DocumentTextModels(textId, embedder, reranker);
        }
        catch
        {
            embedder?.Dispose();
            throw;
        }
    }

    private static T Load<T>(string setting, string name, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception e) when (e is not InvalidSettingException and not OperationCanceledException)
        {
            throw new InvalidSettingException(setting, $"'{name}' cannot be loaded: {e.Message}");
        }
    }

    public void Dispose()
    {
        embedder?.Dispose();
        Reranker?.Dispose();
    }

    private static string? Named(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
