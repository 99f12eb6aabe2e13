using System.Diagnostics;
using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Documents.Figures;
using MultiModalSearch.Documents.Layout;

namespace MultiModalSearch.Documents.Pdf;

/// <summary>
/// PDF to document model: PdfPig reads words and drawings page by page; layout orders lines (columns included) and
/// groups them into blocks; blocks are classified against the document's body text; figures are located from their
/// captions; what remains is the body, in reading order.
/// </summary>
internal static class PdfExtractor
{
    public static ExtractedDocument Extract(string path, byte[] bytes, DocumentExtractionOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var warnings = new List<string>();
        using var document = PdfOpener.Open(bytes, path);
        int count = document.NumberOfPages;
        if (count > options.MaxPages)
            throw new DocumentRefusedException(path, DocumentRefusal.TooManyPages,
                $"the PDF has {count} pages, over the limit of {options.MaxPages} (DocumentExtractionOptions.MaxPages); split it or raise the limit");
        if (count == 0)
            throw new DocumentRefusedException(path, DocumentRefusal.Corrupt, "the PDF has no pages");
        var pages = ReadPages(document, path, count, options, warnings, clock, cancellationToken);
        string? title = document.Information?.Title;
        return Assemble(path, title, pages, warnings);
    }

    private static List<PdfPageContent> ReadPages(UglyToad.PdfPig.PdfDocument document, string path, int count, DocumentExtractionOptions options,
        List<string> warnings, Stopwatch clock, CancellationToken cancellationToken)
    {
        var pages = new List<PdfPageContent>(count);
        Exception? firstFailure = null;
        for (int number = 1; number <= count; number++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (clock.Elapsed > options.Timeout)
                throw new DocumentRefusedException(path, DocumentRefusal.TimedOut,
                    $"extraction took longer than {options.Timeout.TotalSeconds:0} s (DocumentExtractionOptions.Timeout) and stopped at page {number} of {count}");
            PdfPageContent content;
            try
            {
                content = PdfPageReader.Read(document.GetPage(number), path, options, warnings);
            }
            catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException or DocumentRefusedException))
            {
                firstFailure ??= e;
                warnings.Add($"page {number} could not be read: {e.Message.ReplaceLineEndings(" ")}");
                var previous = pages.Count > 0 ? pages[^1] : null;
                content = new PdfPageContent(number, previous?.Width ?? 612, previous?.Height ?? 792);
            }
            Lay(content);
            pages.Add(content);
        }
        if (firstFailure is not null && warnings.Count(w => w.Contains("could not be read", StringComparison.Ordinal)) == count)
            throw PdfOpener.Corrupt(path, firstFailure);
        return pages;
    }

    /// <summary>Lines, reading order, blocks and drawings of one page: everything that needs only the page itself.</summary>
    private static void Lay(PdfPageContent page)
    {
        var lines = LineBuilder.Build(page.Words);
        page.Blocks = BlockBuilder.Build(ReadingOrder.Order(lines));
        page.Clusters = GraphicClusterer.Cluster(page.Graphics, page.Width, page.Height);
    }

    private static ExtractedDocument Assemble(string path, string? title, List<PdfPageContent> pages, List<string> warnings)
    {
        var allBlocks = pages.SelectMany(p => p.Blocks.Select(b => (b, p.Height))).ToList();
        var widths = pages.Where(p => p.Blocks.Count > 0).Select(p => p.Blocks.Max(b => b.Box.Right) - p.Blocks.Min(b => b.Box.Left)).Order().ToArray();
        double contentWidth = widths.Length == 0 ? 468 : widths[widths.Length / 2];
        var stats = TextStatistics.Measure(allBlocks.Select(b => b.b).ToList(), contentWidth);
        BlockClassifier.Classify(pages.Select(p => (p.Blocks, p.Height)).ToList(), stats);

        var located = new List<LocatedFigure>();
        var orphans = new List<(int Page, TextBlock Caption)>();
        foreach (var page in pages)
        {
            var (figures, pageOrphans) = FigureLocator.Locate(page, stats);
            located.AddRange(figures);
            orphans.AddRange(pageOrphans.Select(c => (page.Number, c)));
        }
        LinkAcrossPages(located, orphans, pages, warnings);

        var model = PdfDocumentModel.Build(pages, located);
        title = string.IsNullOrWhiteSpace(title) ? model.Items.FirstOrDefault(i => i.Kind == DocumentItemKind.Heading)?.Text : title.Trim();
        var documentPages = pages.Select(p => new DocumentPage(p.Number, p.Width, p.Height, TextLayerOf(p), p.Words.Count)).ToList();
        return new ExtractedDocument(path, DocumentFormat.Pdf, title, documentPages, model.Items, model.Figures, warnings);
    }

    /// <summary>
    /// A caption with nothing above or below it on its page belongs to a figure no caption claimed at the bottom of the
    /// page before (a float that did not fit), or failing that at the top of the next page.
    /// </summary>
    private static void LinkAcrossPages(List<LocatedFigure> figures, List<(int Page, TextBlock Caption)> orphans, List<PdfPageContent> pages, List<string> warnings)
    {
        foreach (var (page, caption) in orphans)
        {
            double height = pages[page - 1].Height;
            var before = figures.Where(f => f.Caption is null && f.Page == page - 1 && f.Box.Bottom > 0.5 * height).MaxBy(f => f.Box.Bottom);
            var after = figures.Where(f => f.Caption is null && f.Page == page + 1 && f.Box.Top < 0.5 * height).MinBy(f => f.Box.Top);
            var figure = caption.Box.Top < 0.5 * height ? before ?? after : after ?? before;
            if (figure is null)
            {
                warnings.Add($"page {page}: no figure region found for the caption \"{Shorten(caption.Text)}\"");
                continue;
            }
            figure.Caption = caption;
        }
    }

    private static PageTextLayer TextLayerOf(PdfPageContent page)
    {
        if (page.Words.Count > 0)
            return PageTextLayer.Text;
        return page.ImageArea >= 0.5 * page.Width * page.Height ? PageTextLayer.ScannedWithoutText : PageTextLayer.Empty;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
