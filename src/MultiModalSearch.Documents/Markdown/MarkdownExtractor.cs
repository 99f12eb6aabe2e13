using System.Text;
using Markdig;
using Markdig.Extensions.Figures;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Documents.Captions;
using MultiModalSearch.Documents.Figures;
using MdTable = Markdig.Extensions.Tables.Table;
using MdSpan = Markdig.Syntax.SourceSpan;
using SourceSpan = MultiModalSearch.Abstractions.Documents.SourceSpan;

namespace MultiModalSearch.Documents.Markdown;

/// <summary>
/// Markdown through Markdig's syntax tree: headings, paragraphs, list items, code blocks and tables (kept whole) with
/// their character spans; images become figures with their alt text, their title, and the caption next to them (a
/// following paragraph that reads "Figure N: ..." or is wholly emphasised, or a Markdig ^^^ figure caption).
/// </summary>
internal static class MarkdownExtractor
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePreciseSourceLocation().UsePipeTables().UseGridTables().UseFigures().UseYamlFrontMatter().Build();

    public static ExtractedDocument Extract(string path, string text, DocumentExtractionOptions options)
    {
        var document = Markdig.Markdown.Parse(text, Pipeline);
        var builder = new Builder(path);
        builder.Blocks(document);
        string? title = builder.Items.FirstOrDefault(i => i.Kind == DocumentItemKind.Heading)?.Text;
        var page = new DocumentPage(1, 0, 0, builder.Items.Count > 0 ? PageTextLayer.Text : PageTextLayer.Empty, builder.Items.Sum(i => i.Text.Split(' ').Length));
        return new ExtractedDocument(path, DocumentFormat.Markdown, title, [page], builder.Items, builder.Figures, builder.Warnings);
    }

    private sealed class Builder(string path)
    {
        public List<DocumentItem> Items { get; } = [];

        public List<DocumentFigure> Figures { get; } = [];

        public List<string> Warnings { get; } = [];

        // Figures waiting for a caption in the paragraph that follows them.
        private readonly List<(LinkInline Image, int Index)> pending = [];

        public void Blocks(ContainerBlock container)
        {
            foreach (var block in container)
            {
                switch (block)
                {
                    case YamlFrontMatterBlock:
                    case ThematicBreakBlock:
                        break;
                    case HeadingBlock heading:
                        Flush();
                        Add(DocumentItemKind.Heading, InlineText(heading.Inline), heading.Level, heading.Span);
                        break;
                    case Figure figure:
                        Flush();
                        FigureBlock(figure);
                        break;
                    case ParagraphBlock paragraph:
                        Paragraph(paragraph, DocumentItemKind.Paragraph);
                        break;
                    case CodeBlock code:
                        Flush();
                        Add(DocumentItemKind.Code, code.Lines.ToString().TrimEnd(), 0, code.Span);
                        break;
                    case MdTable table:
                        Flush();
                        Add(DocumentItemKind.Table, TableText(table), 0, table.Span);
                        break;
                    case ListItemBlock item:
                        ListItem(item);
                        break;
                    case ContainerBlock inner:
                        Blocks(inner);
                        break;
                    case LeafBlock leaf when leaf.Lines.Count > 0:
                        Flush();
                        Add(DocumentItemKind.Paragraph, leaf.Lines.ToString().Trim(), 0, leaf.Span);
                        break;
                }
            }
        }

        private void ListItem(ListItemBlock item)
        {
            foreach (var child in item)
            {
                if (child is ParagraphBlock paragraph)
                    Paragraph(paragraph, DocumentItemKind.ListItem);
                else if (child is ContainerBlock inner)
                    Blocks(inner);
                else
                    Leaves([child]);
            }
        }

        private void Leaves(IEnumerable<Block> blocks)
        {
            foreach (var block in blocks)
                if (block is LeafBlock leaf && leaf.Lines.Count > 0)
                    Add(DocumentItemKind.Paragraph, leaf.Lines.ToString().Trim(), 0, leaf.Span);
        }

        private void Paragraph(ParagraphBlock paragraph, DocumentItemKind kind)
        {
            var images = paragraph.Inline?.Descendants<LinkInline>().Where(l => l.IsImage).ToList() ?? [];
            string text = InlineText(paragraph.Inline);
            bool onlyImages = images.Count > 0 && string.IsNullOrWhiteSpace(text);
            if (!onlyImages)
            {
                bool caption = IsCaption(paragraph, text);
                if (caption && pending.Count > 0)
                {
                    int index = Add(DocumentItemKind.Caption, text, 0, paragraph.Span);
                    foreach (var (image, figureIndex) in pending)
                        Figures[figureIndex] = Figures[figureIndex] with { Caption = CaptionOf(text, index, paragraph.Span) ?? Unnumbered(text, index, paragraph.Span) };
                    pending.Clear();
                }
                else
                {
                    Flush();
                    Add(caption ? DocumentItemKind.Caption : kind, text, 0, paragraph.Span);
                }
            }
            else
            {
                Flush();
            }
            foreach (var image in images)
            {
                int index = AddFigure(image, caption: null);
                if (onlyImages)
                    pending.Add((image, index));
            }
        }

        private void FigureBlock(Figure figure)
        {
            var captionBlock = figure.OfType<FigureCaption>().FirstOrDefault();
            DocumentCaption? caption = null;
            if (captionBlock is not null)
            {
                string text = InlineText(captionBlock.Inline);
                int index = Add(DocumentItemKind.Caption, text, 0, captionBlock.Span);
                caption = CaptionOf(text, index, captionBlock.Span) ?? Unnumbered(text, index, captionBlock.Span);
            }
            foreach (var paragraph in figure.OfType<ParagraphBlock>())
                foreach (var image in paragraph.Inline?.Descendants<LinkInline>().Where(l => l.IsImage) ?? [])
                    AddFigure(image, caption);
        }

        private int AddFigure(LinkInline image, DocumentCaption? caption)
        {
            string alt = InlineText(image);
            var figure = new DocumentFigure(Figures.Count, FigureKind.ImageFile, new Provenance(1, null, Span(image.Span)), caption,
                SubCaption: string.IsNullOrWhiteSpace(image.Title) ? null : image.Title, Text: "", ContextText: Items.LastOrDefault(i => i.Kind == DocumentItemKind.Paragraph)?.Text ?? "",
                AltText: string.IsNullOrWhiteSpace(alt) ? null : alt, ImagePath: LocalImagePath.Resolve(path, image.Url, Warnings));
            Figures.Add(figure);
            return figure.Index;
        }

        private static bool IsCaption(ParagraphBlock paragraph, string text)
        {
            if (CaptionParser.IsCaptionStart(text))
                return true;
            // "*A cat on a mat*" under an image: wholly emphasised and short.
            var inlines = paragraph.Inline?.ToList() ?? [];
            return text.Length <= 300 && inlines.Count == 1 && inlines[0] is EmphasisInline;
        }

        private static DocumentCaption? CaptionOf(string text, int index, MdSpan span) =>
            CaptionParser.Parse(text, index, new Provenance(1, null, Span(span)));

        private static DocumentCaption Unnumbered(string text, int index, MdSpan span) =>
            new("Figure", "", text, index, new Provenance(1, null, Span(span)));

        private void Flush() => pending.Clear();

        private int Add(DocumentItemKind kind, string text, int level, MdSpan span)
        {
            if (string.IsNullOrWhiteSpace(text))
                return -1;
            Items.Add(new DocumentItem(Items.Count, kind, text.Trim(), level, new Provenance(1, null, Span(span))));
            return Items.Count - 1;
        }

        private static SourceSpan Span(MdSpan span) =>
            new(Math.Max(0, span.Start), Math.Max(0, span.Length));

        private static string TableText(MdTable table)
        {
            var text = new StringBuilder();
            foreach (var row in table.OfType<TableRow>())
            {
                if (text.Length > 0)
                    text.Append('\n');
                text.AppendJoin(" | ", row.OfType<TableCell>().Select(c => string.Join(" ", c.OfType<ParagraphBlock>().Select(p => InlineText(p.Inline)))));
            }
            return text.ToString();
        }

        private static string InlineText(ContainerInline? container)
        {
            if (container is null)
                return "";
            var text = new StringBuilder();
            foreach (var child in container)
                Append(child, text);
            return string.Join(" ", text.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }

        private static void Append(Inline inline, StringBuilder text)
        {
            switch (inline)
            {
                case LinkInline { IsImage: true }:
                    return; // an image's alt text is the figure's, not the paragraph's
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case LineBreakInline:
                    text.Append(' ');
                    break;
                case AutolinkInline link:
                    text.Append(link.Url);
                    break;
                case ContainerInline container:
                    foreach (var child in container)
                        Append(child, text);
                    break;
            }
        }
    }
}
