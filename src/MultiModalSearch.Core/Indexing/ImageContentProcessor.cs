using System.Runtime.CompilerServices;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Imaging;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;

namespace MultiModalSearch.Core.Indexing;

/// <summary>
/// Photos: inspected and hashed from the bytes read once, embedded by CLIP's batched image pipeline, which decodes those
/// same bytes (and cuts the preview from the same pixels).
/// </summary>
internal sealed class ImageContentProcessor(ClipSession session, IndexingOptions options) : IContentProcessor
{
    private readonly ThumbnailEncoder thumbnails = new(options.Thumbnail, options.Decode);

    public int Dimension => session.Dimension;

    public ComputeOptions Compute => session.Embedder.Compute;

    public void Prepare(IndexItem item) => item.Prepare(options.Decode);

    public async IAsyncEnumerable<IndexItem> ProcessAsync(IAsyncEnumerable<IndexItem> items, PipelineOptions pipeline, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var run = session.CreateImagePipeline<IndexItem>(LoadPixels, pipeline);
        await foreach (var result in run.RunAsync(items, cancellationToken))
        {
            var item = result.Input;
            if (result.Succeeded)
            {
                item.Embedding = result.Embedding;
            }
            else
            {
                item.Error = result.Error;
            }

            yield return item;
        }
    }

    /// <summary>Thumbnails and texts are written by the flush itself (photos and documents alike may carry them).</summary>
    public Task WriteAsync(Collection collection, IReadOnlyList<IndexItem> embedded, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The pipeline's loader: decodes the bytes that were hashed (and cuts the preview from the same pixels), then hands their buffer back.</summary>
    private void LoadPixels(IndexItem item, Span<float> destination)
    {
        using var content = item.TakeContent();
        if (!options.Thumbnails)
        {
            session.Preprocessor.Preprocess(content.Span, destination, item.Work.Path);
            return;
        }

        item.Thumbnail = session.Preprocessor.PreprocessWithThumbnail(content.Span, destination, item.Work.Path, thumbnails);
    }
}
