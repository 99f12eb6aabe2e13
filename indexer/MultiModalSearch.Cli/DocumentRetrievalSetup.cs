using System.CommandLine;
using MultiModalSearch.Core.DocumentRetrieval;
using MultiModalSearch.Core.Ingestion;
using MultiModalSearch.Core.Retrieval;
using MultiModalSearch.Models.Bert;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;
using MultiModalSearch.Models.Resolution;

namespace MultiModalSearch.Cli;

/// <summary>
/// The options <c>mms retrieve</c> and <c>mms eval-retrieval</c> share (models and stage switches), and the retriever
/// they open: CLIP is the collection's own model; the text model and the reranker only when named.
/// </summary>
internal sealed class DocumentRetrievalSetup
{
    public Option<string?> TextModel { get; } = new("--text-model") { Description = "Sentence embedder the documents were ingested with (folder or Hugging Face id); default: none" };

    public Option<string?> Reranker { get; } = new("--reranker") { Description = "Cross-encoder (folder or Hugging Face id) that reranks the fused top 50; default: none" };

    public Option<bool> NoEmbedder { get; } = new("--no-embedder") { Description = "Leave out passages found by text embedding" };

    public Option<bool> NoReranker { get; } = new("--no-reranker") { Description = "Leave out the cross-encoder" };

    public Option<bool> NoFigures { get; } = new("--no-figures") { Description = "Leave out figures (CLIP text-to-image and captions)" };

    public Option<double?> TermFloor { get; } = new("--term-floor") { Description = "Relevance floor without a reranker: the share of the question's terms (rare ones weigh most) the best hit must hold (default 0.5)" };

    public Option<double?> FigureWeight { get; } = new("--figure-weight") { Description = "Weight of each figure list in the fusion, against 1 for a passage list (default 0.5)" };

    public Option<string> Device { get; } = CommonOptions.Device();

    public IEnumerable<Option> All => [TextModel, Reranker, NoEmbedder, NoReranker, NoFigures, TermFloor, FigureWeight, Device];

    public async Task<OpenRetriever> OpenAsync(ParseResult result, CliHost host, string collectionName, CancellationToken cancellationToken)
    {
        var collection = await host.Db.Collections.FindAsync(collectionName, cancellationToken) ?? throw new CollectionNotFoundException(collectionName);
        var compute = ComputeOptions.Resolve(result.GetValue(Device)!, "auto", Workload.Exact);
        var opened = new OpenRetriever();
        try
        {
            if (!result.GetValue(NoFigures))
            {
                var clip = await host.Get<ModelLocator>().LocateRecordedAsync(collection.ModelId, cancellationToken: cancellationToken);
                opened.Clip = ClipSession.Open(clip.Directory, compute);
                opened.ClipId = collection.ModelId;
            }

            if (result.GetValue(TextModel) is { } textName)
            {
                var resolved = await ModelDownloads.LocateAsync(host, textName, cancellationToken);
                opened.Text = SentenceEmbedder.Open(resolved.Directory, compute);
                opened.TextId = resolved.Id;
            }

            if (result.GetValue(Reranker) is { } rerankerName)
            {
                var resolved = await ModelDownloads.LocateAsync(host, rerankerName, cancellationToken);
                opened.Cross = CrossEncoderReranker.Open(resolved.Directory, compute);
            }

            var models = new DocumentRetrievalModels(
                opened.Clip is null ? null : new SessionFigureQueryEncoder(opened.Clip, opened.ClipId!), opened.Text is null ? null : new DocumentTextModel(opened.TextId!, opened.Text, opened.Text.Tokenizer), opened.Cross);
            var defaults = new DocumentRetrievalOptions();
            var options = defaults with
            {
                UseEmbedder = !result.GetValue(NoEmbedder), UseReranker = !result.GetValue(NoReranker), UseFigures = !result.GetValue(NoFigures),
                TermCoverageFloor = result.GetValue(TermFloor) ?? defaults.TermCoverageFloor,
                FigureWeight = result.GetValue(FigureWeight) ?? defaults.FigureWeight,
            };
            opened.Retriever = new DocumentRetriever(host.Db.Collections, host.Db.Documents, models, options);
            return opened;
        }
        catch
        {
            opened.Dispose();
            throw;
        }
    }

    /// <summary>The retriever and the models it holds; disposing frees them.</summary>
    internal sealed class OpenRetriever : IDisposable
    {
        public DocumentRetriever Retriever { get; set; } = null!;
        public ClipSession? Clip { get; set; }
        public string? ClipId { get; set; }
        public SentenceEmbedder? Text { get; set; }
        public string? TextId { get; set; }
        public CrossEncoderReranker? Cross { get; set; }

        public void Dispose()
        {
            Clip?.Dispose();
            Text?.Dispose();
            Cross?.Dispose();
        }
    }
}
