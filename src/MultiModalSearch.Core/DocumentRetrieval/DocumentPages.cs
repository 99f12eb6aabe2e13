using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Abstractions.DocumentStorage;
using MultiModalSearch.Abstractions.Storage;
using NetVips;

namespace MultiModalSearch.Core.DocumentRetrieval;

/// <summary>
/// Page images for the page viewer: rendered from the document's file once per page and cached in the database, with a
/// hit's box drawn on request (a box is a request parameter, so the cache keeps the plain page only).
/// </summary>
public sealed class DocumentPages(IDocumentStore store, IPageRenderer renderer)
{
    /// <summary>Legible text at a size a browser shows whole.</summary>
    public const int Dpi = 100;

    private const int Stroke = 3;

    /// <exception cref="DocumentNotFoundException">No such live document in the collection, no such page, or a document without pages.</exception>
    public async Task<byte[]> PageAsync(Collection collection, long documentId, int page, BoundingBox? box, CancellationToken cancellationToken = default)
    {
        var document = await store.DocumentAsync(collection, documentId, cancellationToken)
            ?? throw new DocumentNotFoundException($"no document {documentId} in collection '{collection.Name}'");
        if (document.Format != DocumentFormat.Pdf)
        {
            throw new DocumentNotFoundException($"document {documentId} is {document.Format}: it has no page images");
        }

        if (page < 1 || page > document.Pages.Count)
        {
            throw new DocumentNotFoundException($"document {documentId} has pages 1 to {document.Pages.Count} (asked for {page})");
        }

        var webp = await store.PageRenderAsync(documentId, page, Dpi, cancellationToken);
        if (webp is null)
        {
            var render = await renderer.RenderRegionAsync(document.Path, page, null, Dpi, cancellationToken);
            await store.PutPageRenderAsync(documentId, page, Dpi, render.Webp, render.Width, render.Height, cancellationToken);
            webp = render.Webp;
        }

        return box is { } region ? DrawBox(webp, region) : webp;
    }

    /// <summary>The box as a red frame; points map to pixels by dpi / 72, top-left origin on both sides.</summary>
    private static byte[] DrawBox(byte[] webp, BoundingBox box)
    {
        using var decoded = Image.NewFromBuffer(webp);
        using var opaque = decoded.HasAlpha() ? decoded.Flatten(background: [255.0]) : decoded.Copy();
        using var rgb = opaque.Bands < 3 ? opaque.Colourspace(Enums.Interpretation.Srgb) : opaque.Copy();
        var scale = Dpi / 72.0;
        var left = (int)Math.Floor(box.Left * scale);
        var top = (int)Math.Floor(box.Top * scale);
        var width = Math.Max(1, (int)Math.Ceiling(box.Width * scale));
        var height = Math.Max(1, (int)Math.Ceiling(box.Height * scale));
        using var framed = rgb.Mutate(m =>
        {
            for (var t = 0; t < Stroke; t++)
            {
                m.DrawRect([220.0, 30.0, 30.0], left - t, top - t, width + (2 * t), height + (2 * t));
            }
        });
        return framed.WebpsaveBuffer(q: 85);
    }
}
