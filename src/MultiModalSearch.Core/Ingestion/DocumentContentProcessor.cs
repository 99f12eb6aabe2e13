using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Abstractions.DocumentStorage;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Abstractions.Text;
using MultiModalSearch.Core.Indexing;
using MultiModalSearch.Documents;
using MultiModalSearch.Documents.Figures;
using MultiModalSearch.Documents.Passages;
using MultiModalSearch.Imaging;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;

namespace MultiModalSearch.Core.Ingestion;

/// <summary>
/// Documents in an indexing run: a claimed file is hashed (so identical files are ingested once), then extracted into
/// pages, passages and figures; figures are cut from the rendered page as WebP and embedded by CLIP's image tower,
/// passages and figure texts by the text model when there is one. The content's one embedding in the collection's index
/// is CLIP's text embedding of its title and opening: it anchors the document rows, which go when it goes.
/// A hostile or broken document fails that file only, with the extractor's one-line reason.
/// </summary>
internal sealed class DocumentContentProcessor(
    ClipSession clip, DocumentTextModel? textModel, IPageRenderer renderer, IDocumentStore store, DocumentIngestionOptions options) : IContentProcessor
{
    private const int TextBatch = 32;
    private readonly ITokenCounter counter = new TokenizerCounter(textModel?.Tokenizer ?? clip.Tokenizer);
    private readonly int budget = Math.Max(16, Math.Min(options.PassageTokens, textModel?.Tokenizer.MaxLength ?? int.MaxValue));

    public int Dimension => clip.Dimension;

    public ComputeOptions Compute => clip.Embedder.Compute;

    /// <summary>Hashes the file as it streams by; what it holds is the extractor's to judge (an empty file is refused there, with its reason).</summary>
    public void Prepare(IndexItem item)
    {
        using var stream = new FileStream(item.Work.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        if (stream.Length > options.Extraction.MaxFileBytes)
        {
            throw new IOException($"Cannot extract '{item.Work.Path}': the file has {stream.Length} bytes, over the limit of {options.Extraction.MaxFileBytes}");
        }

        item.Hash = SHA256.HashData(stream);
    }

    public async IAsyncEnumerable<IndexItem> ProcessAsync(IAsyncEnumerable<IndexItem> items, PipelineOptions pipeline, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in items.WithCancellation(cancellationToken))
        {
            try
            {
                var document = await DocumentExtractor.Instance.ExtractAsync(item.Work.Path, options.Extraction, cancellationToken);
                item.Document = await BuildAsync(item.Hash, document, cancellationToken);
                item.Embedding = Anchor(document, item.Document);
            }
            catch (DocumentRefusedException e)
            {
                item.Error = e.Message;
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                // Whatever else a hostile document makes a library throw, it fails this file only.
                item.Error = $"{item.Work.Path}: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}";
            }

            yield return item;
        }
    }

    public Task WriteAsync(Collection collection, IReadOnlyList<IndexItem> embedded, CancellationToken cancellationToken) =>
        store.PutDocumentsAsync(collection, embedded.Select(i => i.Document).OfType<DocumentContent>().ToList(), cancellationToken);

    private async Task<DocumentContent> BuildAsync(byte[] hash, ExtractedDocument document, CancellationToken cancellationToken)
    {
        var warnings = document.Warnings.ToList();
        var passages = PassageChunker.Chunk(document, counter, budget, Math.Min(options.PassageOverlap, budget / 2));
        var figures = new List<StoredFigure>();
        foreach (var figure in document.Figures)
        {
            figures.Add(await FigureAsync(document, figure, warnings, cancellationToken));
        }

        var passageEmbeddings = textModel?.Embedder.EmbedTexts(passages.Select(p => EmbeddingText(p.HeadingPath, p.Text)).ToList(), TextBatch);
        var figureTexts = figures.Select(f => f.SearchText).ToList();
        var figureEmbeddings = textModel is null || figureTexts.Count == 0 ? null : textModel.Embedder.EmbedTexts(figureTexts, TextBatch);
        return new DocumentContent(
            hash, document.Format, document.Title, document.Pages,
            passages.Select((p, i) => new StoredPassage(p, passageEmbeddings?[i])).ToList(),
            figures.Select((f, i) => f with { TextEmbedding = figureEmbeddings?[i] }).ToList(),
            textModel?.Id, warnings);
    }

    /// <summary>The crop and its CLIP embedding; a figure that cannot be rendered keeps its caption and says why in the warnings.</summary>
    private async Task<StoredFigure> FigureAsync(ExtractedDocument document, DocumentFigure figure, List<string> warnings, CancellationToken cancellationToken)
    {
        try
        {
            var render = await FigureImages.RenderAsync(document, figure, renderer, CropDpi(figure), options.MaxFigureSide, cancellationToken);
            if (render is null)
            {
                return new StoredFigure(figure, null, 0, 0, null, null);
            }

            var embedding = clip.EmbedImage(render.Webp, $"{document.Path} figure {figure.Index + 1}");
            return new StoredFigure(figure, render.Webp, render.Width, render.Height, embedding, null);
        }
        catch (Exception e) when (e is DocumentRefusedException or ImageDecodeException or IOException or UnauthorizedAccessException)
        {
            warnings.Add($"figure {figure.Index + 1} on page {figure.Provenance.Page} has no crop: {e.Message.ReplaceLineEndings(" ")}");
            return new StoredFigure(figure, null, 0, 0, null, null);
        }
    }

    /// <summary>The configured resolution, lowered for a figure whose longest side would exceed the largest crop.</summary>
    private int CropDpi(DocumentFigure figure)
    {
        if (figure.Provenance.Box is not { } box)
        {
            return options.FigureDpi;
        }

        var longest = Math.Max(box.Width, box.Height) + 2 * FigureImages.Margin;
        return Math.Clamp((int)(options.MaxFigureSide * 72 / Math.Max(1, longest)), 36, options.FigureDpi);
    }

    /// <summary>The anchor embedding: CLIP's text tower on the title and opening words (it reads the first 77 tokens).</summary>
    private float[] Anchor(ExtractedDocument document, DocumentContent content)
    {
        var opening = content.Passages.Count > 0 ? content.Passages[0].Passage.Text : "";
        var text = string.Join(". ", new[] { document.Title, opening }.Where(s => !string.IsNullOrWhiteSpace(s)));
        return clip.EmbedText(text.Length == 0 ? Path.GetFileNameWithoutExtension(document.Path) : text);
    }

    /// <summary>Headings name what a passage is about even when its own words do not.</summary>
    internal static string EmbeddingText(IReadOnlyList<string> headingPath, string text) =>
        headingPath.Count == 0 ? text : $"{string.Join(" > ", headingPath)}\n{text}";
}
