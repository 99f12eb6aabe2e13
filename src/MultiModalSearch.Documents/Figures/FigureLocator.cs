using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Documents.Captions;
using MultiModalSearch.Documents.Layout;
using MultiModalSearch.Documents.Pdf;

namespace MultiModalSearch.Documents.Figures;

/// <summary>
/// Finds figure regions on a page, caption first. From each caption it walks away from the text (up for figures, down
/// first for tables), taking drawings and any text that is not running text, until it meets running text, a heading,
/// another caption or the page margin: the figure is what lies between the caption and the body text, so vector
/// drawings, raster images, the labels among them and captioned listings are all found the same way. Parts marked
/// "(a)", "(b)" under one caption become figures that share it. Large drawings no caption claimed are figures too.
/// </summary>
internal static class FigureLocator
{
    /// <summary>Smallest side (points) of an uncaptioned drawing kept as a figure; icons and rules are smaller.</summary>
    private const double MinUncaptionedSide = 40;

    public static (List<LocatedFigure> Figures, List<TextBlock> Orphans) Locate(PdfPageContent page, TextStatistics stats)
    {
        var figures = new List<LocatedFigure>();
        var orphans = new List<TextBlock>();
        var blocks = page.Blocks;
        if (blocks.Count == 0 && page.Clusters.Count == 0)
            return (figures, orphans);
        double contentLeft = blocks.Count > 0 ? blocks.Min(b => b.Box.Left) : 0;
        double contentRight = blocks.Count > 0 ? blocks.Max(b => b.Box.Right) : page.Width;
        foreach (var caption in blocks.Where(b => b.Role == BlockRole.Caption))
        {
            var (zoneLeft, zoneRight) = Zone(caption, contentLeft, contentRight, stats);
            bool table = CaptionParser.TryParse(caption.Lines[0].Text, out string label, out _) && label == "Table";
            var found = table
                ? Walk(page, caption, zoneLeft, zoneRight, stats, down: true) ?? Walk(page, caption, zoneLeft, zoneRight, stats, down: false)
                : Walk(page, caption, zoneLeft, zoneRight, stats, down: false) ?? Walk(page, caption, zoneLeft, zoneRight, stats, down: true);
            if (found is null)
            {
                orphans.Add(caption);
                continue;
            }
            figures.AddRange(Split(page, caption, found, table));
        }
        figures.AddRange(Uncaptioned(page, stats));
        return (figures, orphans);
    }

    /// <summary>The caption's column on a two-column page, else the page's text width.</summary>
    private static (double Left, double Right) Zone(TextBlock caption, double contentLeft, double contentRight, TextStatistics stats)
    {
        if (!stats.TwoColumns)
            return (Math.Min(contentLeft, caption.Box.Left), Math.Max(contentRight, caption.Box.Right));
        double middle = (contentLeft + contentRight) / 2;
        if (caption.Box.Right <= middle + 5)
            return (contentLeft, middle);
        if (caption.Box.Left >= middle - 5)
            return (middle, contentRight);
        return (contentLeft, contentRight);
    }

    private sealed record Found(List<TextBlock> Blocks, List<GraphicCluster> Clusters);

    private static Found? Walk(PdfPageContent page, TextBlock caption, double zoneLeft, double zoneRight, TextStatistics stats, bool down)
    {
        var zone = new BoundingBox(zoneLeft, 0, zoneRight, page.Height);
        var candidates = new List<(double Key, TextBlock? Block, GraphicCluster? Cluster)>();
        foreach (var block in page.Blocks)
        {
            if (block == caption || block.InFigure || block.Box.HorizontalOverlap(zone) <= 0)
                continue;
            if (down ? block.Box.Top >= caption.Box.Bottom - 2 : block.Box.Bottom <= caption.Box.Top + 2)
                candidates.Add((down ? block.Box.Top : -block.Box.Bottom, block, null));
        }
        foreach (var cluster in page.Clusters)
        {
            if (cluster.Claimed || cluster.Box.HorizontalOverlap(zone) <= 0)
                continue;
            if (down ? cluster.Box.Top >= caption.Box.Bottom - 2 : cluster.Box.Bottom <= caption.Box.Top + 2)
                candidates.Add((down ? cluster.Box.Top : -cluster.Box.Bottom, null, cluster));
            else if (!down && cluster.Box.Contains(caption.Box, 1))
                candidates.Add((-caption.Box.Top, null, cluster)); // a frame drawn around figure and caption
        }
        candidates.Sort((a, b) => a.Key.CompareTo(b.Key));
        var found = new Found([], []);
        foreach (var (_, block, cluster) in candidates)
        {
            if (cluster is not null)
            {
                found.Clusters.Add(cluster);
                continue;
            }
            if (block!.Role is BlockRole.Caption or BlockRole.PageHeader or BlockRole.PageFooter)
                break;
            if (stats.IsRunningText(block) || IsSectionHeading(block, zoneLeft))
                break;
            found.Blocks.Add(block);
        }
        if (found.Clusters.Count == 0 && found.Blocks.Count == 0)
            return null;
        return found;
    }

    /// <summary>A heading that starts at the column's left edge; large text placed inside a drawing does not.</summary>
    private static bool IsSectionHeading(TextBlock block, double zoneLeft) =>
        block.Role == BlockRole.Heading && Math.Abs(block.Box.Left - Math.Max(zoneLeft, block.Lines[0].ColumnLeft)) <= 3;

    private static IEnumerable<LocatedFigure> Split(PdfPageContent page, TextBlock caption, Found found, bool table)
    {
        var subCaptions = found.Blocks.Where(b => CaptionParser.IsSubCaption(b.Text)).OrderBy(b => b.Box.CenterX).ToList();
        bool sideBySide = subCaptions.Count >= 2 &&
            subCaptions.Zip(subCaptions.Skip(1)).All(p => p.First.Box.HorizontalOverlap(p.Second.Box) <= 0);
        if (!sideBySide)
        {
            yield return Build(page, caption, found.Blocks, found.Clusters, null, table);
            yield break;
        }
        // Boundaries halfway between neighbouring sub-captions; each element goes to the part its centre falls in, so
        // two images that touch (one drawing to the clusterer) are still two figures.
        var bounds = subCaptions.Zip(subCaptions.Skip(1)).Select(p => (p.First.Box.Right + p.Second.Box.Left) / 2).ToList();
        int PartOf(BoundingBox box) => bounds.Count(b => box.CenterX > b);
        for (int part = 0; part < subCaptions.Count; part++)
        {
            var sub = subCaptions[part];
            var blocks = found.Blocks.Where(b => !subCaptions.Contains(b) && PartOf(b.Box) == part).ToList();
            var clusters = new List<GraphicCluster>();
            foreach (var cluster in found.Clusters)
            {
                cluster.Claimed = true;
                var piece = new GraphicCluster(cluster.Box);
                foreach (var element in cluster.Elements.Where(e => PartOf(e.Box) == part))
                    piece.Add(element);
                if (piece.Elements.Count > 0)
                    clusters.Add(piece);
            }
            if (blocks.Count == 0 && clusters.Count == 0)
                continue;
            var figure = Build(page, caption, blocks, clusters, sub.Text, table);
            sub.InFigure = true;
            figure.Blocks.Add(sub);
            yield return figure;
        }
    }

    private static LocatedFigure Build(PdfPageContent page, TextBlock caption, List<TextBlock> blocks, List<GraphicCluster> clusters, string? subCaption, bool table)
    {
        BoundingBox? box = null;
        foreach (var cluster in clusters)
        {
            cluster.Claimed = true;
            box = box is null ? cluster.Box : box.Value.Union(cluster.Box);
        }
        foreach (var block in blocks)
            box = box is null ? block.Box : box.Value.Union(block.Box);
        var figure = new LocatedFigure(page.Number, box!.Value, KindOf(clusters, table)) { Caption = caption, SubCaption = subCaption };
        Absorb(page, figure, allowRunningText: true, stats: null);
        return figure;
    }

    private static FigureKind KindOf(List<GraphicCluster> clusters, bool table)
    {
        if (table)
            return FigureKind.Table;
        int images = clusters.Sum(c => c.Images), paths = clusters.Sum(c => c.Paths);
        if (images == 0 && paths == 0)
            return FigureKind.Text;
        if (images == 0)
            return FigureKind.Vector;
        return paths == 0 ? FigureKind.Raster : FigureKind.Mixed;
    }

    /// <summary>Takes the text blocks lying inside the figure's region (labels among the drawing) into the figure.</summary>
    private static void Absorb(PdfPageContent page, LocatedFigure figure, bool allowRunningText, TextStatistics? stats)
    {
        foreach (var block in page.Blocks)
        {
            if (block.InFigure || block.Role is BlockRole.Caption or BlockRole.PageHeader or BlockRole.PageFooter)
                continue;
            if (!figure.Box.Contains(block.Box, 2))
                continue;
            if (!allowRunningText && stats!.IsRunningText(block))
                continue;
            block.InFigure = true;
            figure.Blocks.Add(block);
        }
        figure.Blocks.Sort((a, b) => page.Blocks.IndexOf(a).CompareTo(page.Blocks.IndexOf(b)));
    }

    private static IEnumerable<LocatedFigure> Uncaptioned(PdfPageContent page, TextStatistics stats)
    {
        foreach (var cluster in page.Clusters)
        {
            if (cluster.Claimed || cluster.Box.Width < MinUncaptionedSide || cluster.Box.Height < MinUncaptionedSide)
                continue;
            // A frame around running text (a boxed note) is not a figure.
            double textArea = page.Blocks.Where(b => stats.IsRunningText(b) && cluster.Box.Contains(b.Box, 2)).Sum(b => b.Box.Area);
            if (textArea > 0.3 * cluster.Box.Area)
                continue;
            cluster.Claimed = true;
            var figure = new LocatedFigure(page.Number, cluster.Box, KindOf([cluster], table: cluster.IsRuling));
            Absorb(page, figure, allowRunningText: false, stats);
            yield return figure;
        }
    }
}
