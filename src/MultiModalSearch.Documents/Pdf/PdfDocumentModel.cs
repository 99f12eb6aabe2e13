using System.Text.RegularExpressions;
using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Documents.Captions;
using MultiModalSearch.Documents.Figures;
using MultiModalSearch.Documents.Layout;

namespace MultiModalSearch.Documents.Pdf;

/// <summary>
/// Classified blocks and located figures into the document model: items in reading order (text inside figures left
/// out, except listings and tables, which are text and are kept whole), and figures linked to their caption items.
/// </summary>
internal sealed class PdfDocumentModel
{
    private PdfDocumentModel(List<DocumentItem> items, List<DocumentFigure> figures)
    {
        Items = items;
        Figures = figures;
    }

    public List<DocumentItem> Items { get; }

    public List<DocumentFigure> Figures { get; }

    public static PdfDocumentModel Build(List<PdfPageContent> pages, List<LocatedFigure> located)
    {
        var figureOf = new Dictionary<TextBlock, LocatedFigure>();
        foreach (var figure in located)
            foreach (var block in figure.Blocks)
                figureOf.TryAdd(block, figure);
        var items = new List<DocumentItem>();
        var itemOf = new Dictionary<TextBlock, int>();
        var emitted = new HashSet<LocatedFigure>();
        foreach (var page in pages)
        {
            foreach (var block in page.Blocks)
            {
                if (block.InFigure)
                {
                    if (figureOf.TryGetValue(block, out var figure) && figure.Kind is FigureKind.Text or FigureKind.Table && emitted.Add(figure))
                        items.Add(FigureTextItem(items.Count, figure));
                    continue;
                }
                itemOf[block] = items.Count;
                items.Add(new DocumentItem(items.Count, KindOf(block.Role), block.Text, block.HeadingLevel,
                    new Provenance(page.Number, block.Box)));
            }
        }
        var captions = new Dictionary<TextBlock, DocumentCaption>();
        var figures = new List<DocumentFigure>();
        // Page by page as located: captioned figures in their captions' reading order (parts of one caption left to right), then the rest.
        foreach (var figure in located.OrderBy(f => f.Page))
        {
            DocumentCaption? caption = null;
            if (figure.Caption is not null && !captions.TryGetValue(figure.Caption, out caption))
            {
                int index = itemOf.GetValueOrDefault(figure.Caption, -1);
                var provenance = index >= 0 ? items[index].Provenance : new Provenance(figure.Page, figure.Caption.Box);
                caption = CaptionParser.Parse(figure.Caption.Text, index, provenance);
                if (caption is not null)
                    captions[figure.Caption] = caption;
            }
            string text = string.Join("\n", figure.Blocks.Where(b => b.Text != figure.SubCaption).Select(b => b.Text));
            figures.Add(new DocumentFigure(figures.Count, figure.Kind, new Provenance(figure.Page, figure.Box), caption, figure.SubCaption,
                text, ContextOf(items, figure, caption)));
        }
        return new PdfDocumentModel(items, figures);
    }

    private static DocumentItem FigureTextItem(int index, LocatedFigure figure)
    {
        var blocks = figure.Blocks.Where(b => b.Text != figure.SubCaption).ToList();
        bool table = figure.Kind == FigureKind.Table;
        string text = table ? TableText.Of(blocks) : string.Join("\n", blocks.Select(b => b.Text));
        return new DocumentItem(index, table ? DocumentItemKind.Table : DocumentItemKind.Code, text, 0, new Provenance(figure.Page, figure.Box));
    }

    private static DocumentItemKind KindOf(BlockRole role) => role switch
    {
        BlockRole.Heading => DocumentItemKind.Heading,
        BlockRole.Caption => DocumentItemKind.Caption,
        BlockRole.Code => DocumentItemKind.Code,
        BlockRole.PageHeader => DocumentItemKind.PageHeader,
        BlockRole.PageFooter => DocumentItemKind.PageFooter,
        _ => DocumentItemKind.Paragraph,
    };

    /// <summary>The first paragraph that refers to the figure by its number; else the paragraph nearest to it on its page.</summary>
    private static string ContextOf(List<DocumentItem> items, LocatedFigure figure, DocumentCaption? caption)
    {
        if (caption is not null)
        {
            string label = caption.Label == "Figure" ? @"(?:Figure|Fig\.?)" : Regex.Escape(caption.Label);
            var reference = new Regex($@"\b{label}\s*{Regex.Escape(caption.Number)}(?![\d.]\d)", RegexOptions.CultureInvariant);
            var referring = items.FirstOrDefault(i => i.Kind == DocumentItemKind.Paragraph && reference.IsMatch(i.Text));
            if (referring is not null)
                return referring.Text;
        }
        return items
            .Where(i => i.Kind == DocumentItemKind.Paragraph && i.Provenance.Page == figure.Page && i.Provenance.Box is not null)
            .MinBy(i => Distance(i.Provenance.Box!.Value, figure.Box))?.Text ?? "";
    }

    private static double Distance(BoundingBox a, BoundingBox b) =>
        Math.Max(0, Math.Max(a.Top - b.Bottom, b.Top - a.Bottom));
}
