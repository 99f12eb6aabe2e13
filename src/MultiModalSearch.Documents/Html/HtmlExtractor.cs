using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Documents.Captions;
using MultiModalSearch.Documents.Figures;

namespace MultiModalSearch.Documents.Html;

/// <summary>
/// HTML through AngleSharp's DOM, in document order: h1-h6, paragraphs, list items, pre, tables (kept whole);
/// figure/figcaption (every image of a figure gets its caption, so two images sharing one caption both have it); a
/// lone img gets its alt text and the caption next to it (a following element with "caption" in its class, or one that
/// reads "Figure N: ..."). Scripts, styles and navigation are skipped; no resource is fetched.
/// </summary>
internal static class HtmlExtractor
{
    private static readonly HashSet<string> Skipped = ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "NAV", "HEAD", "IFRAME", "OBJECT", "SVG", "BUTTON", "FORM"];

    private static readonly HashSet<string> BlockTags =
        ["P", "DIV", "SECTION", "ARTICLE", "MAIN", "ASIDE", "HEADER", "FOOTER", "BLOCKQUOTE", "UL", "OL", "LI", "DL", "DT", "DD", "PRE", "TABLE",
         "FIGURE", "FIGCAPTION", "H1", "H2", "H3", "H4", "H5", "H6", "HR", "ADDRESS", "DETAILS", "SUMMARY", "CENTER"];

    public static ExtractedDocument Extract(string path, string text, DocumentExtractionOptions options)
    {
        var parser = new HtmlParser(new HtmlParserOptions { IsScripting = false });
        using var document = parser.ParseDocument(text);
        var builder = new Builder(path);
        if (document.Body is not null)
            builder.Walk(document.Body);
        string? title = string.IsNullOrWhiteSpace(document.Title)
            ? builder.Items.FirstOrDefault(i => i.Kind == DocumentItemKind.Heading)?.Text
            : document.Title.Trim();
        var page = new DocumentPage(1, 0, 0, builder.Items.Count > 0 ? PageTextLayer.Text : PageTextLayer.Empty, builder.Items.Sum(i => i.Text.Split(' ').Length));
        return new ExtractedDocument(path, DocumentFormat.Html, title, [page], builder.Items, builder.Figures, builder.Warnings);
    }

    private sealed class Builder(string path)
    {
        public List<DocumentItem> Items { get; } = [];

        public List<DocumentFigure> Figures { get; } = [];

        public List<string> Warnings { get; } = [];

        private readonly HashSet<IElement> consumed = [];

        public void Walk(IElement element)
        {
            foreach (var child in element.Children)
            {
                if (consumed.Contains(child) || Skipped.Contains(child.TagName))
                    continue;
                switch (child.TagName)
                {
                    case "H1" or "H2" or "H3" or "H4" or "H5" or "H6":
                        Add(DocumentItemKind.Heading, TextOf(child), child.TagName[1] - '0');
                        break;
                    case "FIGURE":
                        Figure(child);
                        break;
                    case "IMG":
                        LoneImage(child);
                        break;
                    case "PRE":
                        Add(DocumentItemKind.Code, child.TextContent.Trim('\n', '\r'), 0);
                        break;
                    case "TABLE":
                        Add(DocumentItemKind.Table, TableText(child), 0);
                        break;
                    case "LI" or "DT" or "DD":
                        Inline(child, DocumentItemKind.ListItem);
                        break;
                    default:
                        if (HasBlockChildren(child))
                            Walk(child);
                        else
                            Inline(child, DocumentItemKind.Paragraph);
                        break;
                }
            }
        }

        /// <summary>An element of inline content: one paragraph (or caption), and a figure for each image in it.</summary>
        private void Inline(IElement element, DocumentItemKind kind)
        {
            if (HasBlockChildren(element))
            {
                Walk(element);
                return;
            }
            string text = TextOf(element);
            var images = element.QuerySelectorAll("img").ToList();
            if (text.Length > 0)
                Add(CaptionParser.IsCaptionStart(text) ? DocumentItemKind.Caption : kind, text, 0);
            foreach (var image in images)
                LoneImage(image);
        }

        private void Figure(IElement figure)
        {
            var captionElement = figure.QuerySelector("figcaption");
            DocumentCaption? caption = null;
            if (captionElement is not null)
            {
                string text = TextOf(captionElement);
                int index = Add(DocumentItemKind.Caption, text, 0);
                caption = CaptionParser.Parse(text, index, new Provenance(1, null)) ?? new DocumentCaption("Figure", "", text, index, new Provenance(1, null));
            }
            foreach (var image in figure.QuerySelectorAll("img"))
                AddFigure(image, caption);
            // Text in a figure besides its caption (a listing, a quotation) is still text.
            foreach (var child in figure.Children.Where(c => c.TagName is not ("FIGCAPTION" or "IMG" or "PICTURE")))
                if (child.QuerySelector("img") is null)
                    Walk(WrapSingle(child));
        }

        private void LoneImage(IElement image)
        {
            var next = image.NextElementSibling ?? image.ParentElement?.NextElementSibling;
            DocumentCaption? caption = null;
            if (next is not null && !consumed.Contains(next) && IsCaptionElement(next))
            {
                string text = TextOf(next);
                int index = Add(DocumentItemKind.Caption, text, 0);
                caption = CaptionParser.Parse(text, index, new Provenance(1, null)) ?? new DocumentCaption("Figure", "", text, index, new Provenance(1, null));
                consumed.Add(next);
            }
            AddFigure(image, caption);
        }

        private static bool IsCaptionElement(IElement element)
        {
            string text = element.TextContent.Trim();
            if (text.Length == 0 || text.Length > 400 || element.QuerySelector("img") is not null)
                return false;
            string classes = element.GetAttribute("class") ?? "";
            return classes.Contains("caption", StringComparison.OrdinalIgnoreCase) || CaptionParser.IsCaptionStart(text);
        }

        private void AddFigure(IElement image, DocumentCaption? caption)
        {
            string? alt = image.GetAttribute("alt");
            string? title = image.GetAttribute("title");
            string context = Items.LastOrDefault(i => i.Kind == DocumentItemKind.Paragraph)?.Text ?? "";
            Figures.Add(new DocumentFigure(Figures.Count, FigureKind.ImageFile, new Provenance(1, null), caption,
                string.IsNullOrWhiteSpace(title) ? null : title.Trim(), "", context,
                string.IsNullOrWhiteSpace(alt) ? null : alt.Trim(), LocalImagePath.Resolve(path, image.GetAttribute("src"), Warnings)));
        }

        private int Add(DocumentItemKind kind, string text, int level)
        {
            if (string.IsNullOrWhiteSpace(text))
                return -1;
            Items.Add(new DocumentItem(Items.Count, kind, text, level, new Provenance(1, null)));
            return Items.Count - 1;
        }

        private static bool HasBlockChildren(IElement element) => element.Children.Any(c => BlockTags.Contains(c.TagName));

        private static IElement WrapSingle(IElement element)
        {
            // Walk visits children; give it a parent holding just this element.
            var parent = element.Owner!.CreateElement("div");
            parent.AppendChild(element.Clone());
            return parent;
        }

        private static string TextOf(IElement element)
        {
            var text = new StringBuilder();
            Collect(element, text);
            return string.Join(" ", text.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }

        private static void Collect(INode node, StringBuilder text)
        {
            foreach (var child in node.ChildNodes)
            {
                if (child is IElement e && Skipped.Contains(e.TagName))
                    continue;
                if (child.NodeType == NodeType.Text)
                    text.Append(child.TextContent);
                else if (child is IElement { TagName: "BR" })
                    text.Append(' ');
                else
                {
                    Collect(child, text);
                    if (child is IElement el && BlockTags.Contains(el.TagName))
                        text.Append(' ');
                }
            }
        }

        private static string TableText(IElement table)
        {
            var rows = table.QuerySelectorAll("tr")
                .Select(r => string.Join(" | ", r.Children.Where(c => c.TagName is "TD" or "TH").Select(TextOf)));
            return string.Join("\n", rows.Where(r => r.Length > 0));
        }
    }
}
